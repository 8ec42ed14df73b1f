/**
 * @module
 * Rendering options shared by the SVG, PNG and terminal renderers, and their validation.
 * Every option is checked before anything is drawn, so a bad value fails with `invalid_argument`
 * instead of silently producing a QR code that a phone cannot scan.
 */

import { SecondFactorError } from '@secondfactor/core';

/**
 * QR error correction level (ISO/IEC 18004 §6.5.1): the share of the symbol that may be damaged
 * and still decode. L ≈ 7 %, M ≈ 15 %, Q ≈ 25 %, H ≈ 30 %; higher levels make a denser symbol.
 *
 * @example
 * ```ts
 * import { type ErrorCorrectionLevel, toSvg } from '@secondfactor/qr';
 *
 * const level: ErrorCorrectionLevel = 'Q'; // survives a logo or a scuffed printout
 * const svg = toSvg(uri, { errorCorrectionLevel: level });
 * ```
 */
export type ErrorCorrectionLevel = 'L' | 'M' | 'Q' | 'H';

/**
 * Options every renderer accepts.
 *
 * @example
 * ```ts
 * import { toTerminal } from '@secondfactor/qr';
 *
 * console.log(toTerminal(uri, { errorCorrectionLevel: 'L', margin: 1 }));
 * ```
 */
export interface QrOptions {
  /**
   * Error correction level. M is what authenticator apps scan reliably from a screen.
   * @default 'M'
   */
  errorCorrectionLevel?: ErrorCorrectionLevel | undefined;
  /**
   * Width of the quiet zone around the symbol, in modules (an integer from 0 to 16).
   * ISO/IEC 18004 asks for 4; fewer still scans on most phones but is less robust.
   * @default 4 (2 for {@link toTerminal})
   */
  margin?: number | undefined;
}

/**
 * Colours of an image, as hex `#rgb`, `#rgba`, `#rrggbb` or `#rrggbbaa`.
 *
 * @example
 * ```ts
 * import { toSvg } from '@secondfactor/qr';
 *
 * // Brand-coloured modules on a transparent background.
 * const svg = toSvg(uri, { color: { dark: '#1a237e', light: '#ffffff00' } });
 * ```
 */
export interface QrColors {
  /**
   * Colour of the dark modules. Must be darker than `light`: scanners look for dark on light.
   * @default '#000000'
   */
  dark?: string | undefined;
  /**
   * Colour of the light modules and the quiet zone. A fully transparent value draws no background.
   * @default '#ffffff'
   */
  light?: string | undefined;
}

/**
 * Options of the image renderers ({@link toSvg}, {@link toDataUrl}).
 *
 * @example
 * ```ts
 * import { toDataUrl } from '@secondfactor/qr';
 *
 * const src = await toDataUrl(uri, { width: 240, margin: 2 });
 * ```
 */
export interface ImageOptions extends QrOptions {
  /**
   * Width (and height) of the image in pixels, quiet zone included. An integer from the symbol's
   * module count (with margin) up to 4096. Give `width` or `scale`, not both.
   * @default undefined (PNG: `scale` decides; SVG: no size attributes, the image fills its container)
   */
  width?: number | undefined;
  /**
   * Pixels per module, an integer from 1 to 64; the image may not exceed 4096 pixels.
   * Give `width` or `scale`, not both.
   * @default 4 for PNG; for SVG no size attributes unless given
   */
  scale?: number | undefined;
  /** Module colours. */
  color?: QrColors | undefined;
}

/** An RGBA colour with 8-bit channels. @internal */
export interface Rgba {
  readonly r: number;
  readonly g: number;
  readonly b: number;
  readonly a: number;
}

/** {@link ImageOptions} after validation, defaults applied. @internal */
export interface ResolvedImageOptions {
  readonly errorCorrectionLevel: ErrorCorrectionLevel;
  readonly margin: number;
  readonly width: number | undefined;
  readonly scale: number | undefined;
  readonly dark: Rgba;
  readonly light: Rgba;
}

/**
 * The largest image side in pixels: bounds the memory a PNG render may take (4096² RGBA is 64 MiB).
 *
 * @example
 * ```ts
 * import { MAX_IMAGE_SIZE, toDataUrl } from '@secondfactor/qr';
 *
 * const src = await toDataUrl(uri, { width: Math.min(requestedWidth, MAX_IMAGE_SIZE) });
 * ```
 */
export const MAX_IMAGE_SIZE = 4096;
const MAX_MARGIN = 16;
const MAX_SCALE = 64;
const LEVELS: readonly ErrorCorrectionLevel[] = ['L', 'M', 'Q', 'H'];
const HEX_COLOUR = /^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;

function invalid(message: string): SecondFactorError {
  return new SecondFactorError('invalid_argument', message);
}

/** `record[key]`, or `fallback` when it is `undefined`; `null` is kept, so it fails validation. @internal */
export function optionOr(record: Record<string, unknown>, key: string, fallback: unknown): unknown {
  const value = record[key];
  return value === undefined ? fallback : value;
}

// `undefined` passes (the option was not given); anything else must be an integer in [min, max].
function checkInteger(value: unknown, name: string, min: number, max: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw invalid(`${name} must be an integer from ${min} to ${max}`);
  }
}

/** Rejects anything but a plain options object (or `undefined`). @internal */
export function checkOptionsObject(options: unknown): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalid('options must be an object');
  }
  return options as Record<string, unknown>;
}

/** Validates the options every renderer shares. @internal */
export function resolveQrOptions(
  options: Record<string, unknown>,
  defaultMargin: number,
): { errorCorrectionLevel: ErrorCorrectionLevel; margin: number } {
  const level = optionOr(options, 'errorCorrectionLevel', 'M');
  if (!LEVELS.includes(level as ErrorCorrectionLevel)) {
    throw invalid("options.errorCorrectionLevel must be one of 'L', 'M', 'Q', 'H'");
  }
  const margin = optionOr(options, 'margin', defaultMargin);
  checkInteger(margin, 'options.margin', 0, MAX_MARGIN);
  return { errorCorrectionLevel: level as ErrorCorrectionLevel, margin: margin as number };
}

/** Parses a hex colour into channels; `name` is the option path used in the error message. @internal */
export function parseColour(value: unknown, name: string): Rgba {
  if (typeof value !== 'string' || !HEX_COLOUR.test(value)) {
    throw invalid(`${name} must be a hex colour such as '#000000' or '#00000080'`);
  }
  let hex = value.slice(1);
  if (hex.length <= 4) hex = [...hex].map((c) => c + c).join('');
  const channel = (i: number): number => Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return { r: channel(0), g: channel(1), b: channel(2), a: hex.length === 8 ? channel(3) : 255 };
}

// WCAG 2 relative luminance: a stable way to say which of two colours is darker.
function luminance({ r, g, b }: Rgba): number {
  const linear = (c: number): number => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** Validates {@link ImageOptions} and applies the defaults. @internal */
export function resolveImageOptions(options: unknown): ResolvedImageOptions {
  const raw = checkOptionsObject(options);
  const { errorCorrectionLevel, margin } = resolveQrOptions(raw, 4);
  const width = raw.width;
  const scale = raw.scale;
  if (width !== undefined && scale !== undefined) {
    throw invalid('options.width and options.scale are exclusive; give one of them');
  }
  checkInteger(width, 'options.width', 1, MAX_IMAGE_SIZE);
  checkInteger(scale, 'options.scale', 1, MAX_SCALE);
  const colour = checkColourObject(raw.color);
  const dark = parseColour(optionOr(colour, 'dark', '#000000'), 'options.color.dark');
  const light = parseColour(optionOr(colour, 'light', '#ffffff'), 'options.color.light');
  if (luminance(dark) >= luminance(light)) {
    throw invalid('options.color.dark must be darker than options.color.light');
  }
  return {
    errorCorrectionLevel,
    margin,
    width: width as number | undefined,
    scale: scale as number | undefined,
    dark,
    light,
  };
}

function checkColourObject(value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('options.color must be an object with dark and light');
  }
  return value as Record<string, unknown>;
}

/**
 * Pixel side of the image for a symbol of `modules` modules (quiet zone included), or `undefined` when
 * neither width nor scale was given. Throws when `width` cannot hold one pixel per module or the
 * scaled image is larger than {@link MAX_IMAGE_SIZE}.
 * @internal
 */
export function imageSide(modules: number, options: ResolvedImageOptions): number | undefined {
  if (options.width !== undefined) {
    if (options.width < modules) {
      throw invalid(`options.width must be at least ${modules} pixels for this URI (one per module)`);
    }
    return options.width;
  }
  if (options.scale === undefined) return undefined;
  const side = modules * options.scale;
  if (side > MAX_IMAGE_SIZE) {
    throw invalid(`options.scale makes the image ${side} pixels wide; the limit is ${MAX_IMAGE_SIZE}`);
  }
  return side;
}
