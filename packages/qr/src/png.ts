/**
 * @module
 * PNG rendering as a `data:image/png;base64,…` URL, drawn by the `qrcode` package's local encoder
 * (pngjs in Node, a canvas in browsers). Nothing is fetched and nothing is sent anywhere.
 */

import { SecondFactorError } from '@secondfactor/core';
import { toDataURL } from 'qrcode';
import { resolveUri, type UriOrParams } from './input';
import { encodeMatrix } from './matrix';
import { type ImageOptions, imageSide, type Rgba, resolveImageOptions } from './options';

const DEFAULT_SCALE = 4;
const hex = (colour: Rgba): string =>
  `#${[colour.r, colour.g, colour.b, colour.a].map((n) => n.toString(16).padStart(2, '0')).join('')}`;

/**
 * Renders the QR code of a provisioning URI as a PNG data URL, for an `<img src>` or a JSON response.
 *
 * @param uriOrParams - an `otpauth://` URI, or the parameters of `buildKeyUri` from `@secondfactor/core`.
 * @param options - error correction level, margin, `width` or `scale` (default 4 pixels per module), colours.
 * @returns a promise of `data:image/png;base64,…`.
 * @throws (rejects with) SecondFactorError `invalid_uri` for a string that is not an `otpauth://` URI, is
 *   longer than `MAX_KEY_URI_LENGTH` (of `@secondfactor/core`) or does not fit in a QR code; `invalid_argument` for a bad option;
 *   `internal` if the PNG encoder fails.
 *
 * @example
 * ```ts
 * import { buildKeyUri, generateSecret } from '@secondfactor/core';
 * import { toDataUrl } from '@secondfactor/qr';
 *
 * const secret = generateSecret();
 * const src = await toDataUrl(
 *   { type: 'totp', secret, account: 'alice@example.com', issuer: 'Acme', algorithm: 'SHA1', digits: 6, period: 30 },
 *   { width: 240 },
 * );
 * // `<img alt="QR code for your authenticator app" src="${src}">`
 * ```
 */
export async function toDataUrl(uriOrParams: UriOrParams, options?: ImageOptions): Promise<string> {
  const uri = resolveUri(uriOrParams);
  const resolved = resolveImageOptions(options);
  // Encoding once here checks that the URI fits and gives the module count the width check needs.
  const matrix = encodeMatrix(uri, resolved.errorCorrectionLevel);
  const total = matrix.size + 2 * resolved.margin;
  imageSide(total, resolved); // validates width against the module count and the scaled size
  // The default scale stays far below MAX_IMAGE_SIZE: version 40 with a 16-module margin is 209 modules.
  const size =
    resolved.width === undefined ? { scale: resolved.scale ?? DEFAULT_SCALE } : { width: resolved.width };
  try {
    return await toDataURL(uri, {
      type: 'image/png',
      errorCorrectionLevel: resolved.errorCorrectionLevel,
      margin: resolved.margin,
      ...size,
      color: { dark: hex(resolved.dark), light: hex(resolved.light) },
    });
  } catch {
    // The encoder's error is dropped on purpose: it could echo the input, which carries the secret.
    throw new SecondFactorError('internal', 'PNG rendering failed');
  }
}
