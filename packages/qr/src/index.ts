/**
 * @module
 * `@secondfactor/qr`: QR codes for `otpauth://` provisioning URIs as an SVG string, a PNG data URL or
 * terminal text. Rendering is local; the secret in the URI never leaves the process.
 */

export type { UriOrParams } from './input';
export {
  type ErrorCorrectionLevel,
  type ImageOptions,
  MAX_IMAGE_SIZE,
  type QrColors,
  type QrOptions,
} from './options';
export { toDataUrl } from './png';
export { toSvg } from './svg';
export { type TerminalOptions, toTerminal } from './terminal';
