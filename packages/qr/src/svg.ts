/**
 * @module
 * SVG rendering: a self-contained `<svg>` element drawn from the module grid, one path for all dark
 * modules. It references nothing outside itself (no fonts, images, scripts or links).
 */

import { resolveUri, type UriOrParams } from './input';
import { encodeMatrix } from './matrix';
import { type ImageOptions, imageSide, type Rgba, resolveImageOptions } from './options';

const hex = (n: number): string => n.toString(16).padStart(2, '0');

// Colours are written as #rrggbb plus an opacity attribute: every SVG 1.1 renderer understands that,
// while #rrggbbaa needs CSS Color 4. Values come from parsed channels, so nothing from the caller is
// copied into the markup verbatim.
function paint(attribute: 'fill', colour: Rgba): string {
  const base = `${attribute}="#${hex(colour.r)}${hex(colour.g)}${hex(colour.b)}"`;
  return colour.a === 255 ? base : `${base} ${attribute}-opacity="${Number((colour.a / 255).toFixed(3))}"`;
}

/**
 * Renders the QR code of a provisioning URI as an SVG string, synchronously and locally.
 *
 * The `viewBox` is in modules (quiet zone included); `width`/`height` attributes are written only when
 * `options.width` or `options.scale` is given, so by default the image fills its container.
 *
 * @param uriOrParams - an `otpauth://` URI, or the parameters of `buildKeyUri` from `@secondfactor/core`.
 * @param options - error correction level, margin, size and colours.
 * @returns the `<svg …>…</svg>` markup, safe to inline in HTML.
 * @throws SecondFactorError `invalid_uri` for a string that is not an `otpauth://` URI, is longer than
 *   `MAX_KEY_URI_LENGTH` (of `@secondfactor/core`) or does not fit in a QR code; `invalid_argument` for a bad option.
 *
 * @example
 * ```ts
 * import { toSvg } from '@secondfactor/qr';
 *
 * const svg = toSvg('otpauth://totp/Acme:alice%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Acme', {
 *   width: 256,
 * });
 * // res.send(`<figure>${svg}<figcaption>Scan with your authenticator app</figcaption></figure>`)
 * ```
 */
export function toSvg(uriOrParams: UriOrParams, options?: ImageOptions): string {
  const uri = resolveUri(uriOrParams);
  const resolved = resolveImageOptions(options);
  const matrix = encodeMatrix(uri, resolved.errorCorrectionLevel);
  const { margin } = resolved;
  const total = matrix.size + 2 * margin;
  const side = imageSide(total, resolved);

  // One subpath per horizontal run of dark modules keeps the path short (ISO/IEC 18004 symbols are
  // mostly runs) and renders without the hairline seams that per-module rectangles show when scaled.
  let d = '';
  for (let row = 0; row < matrix.size; row++) {
    let column = 0;
    while (column < matrix.size) {
      if (!matrix.isDark(row, column)) {
        column++;
        continue;
      }
      const start = column;
      while (column < matrix.size && matrix.isDark(row, column)) column++;
      const run = column - start;
      d += `M${start + margin} ${row + margin}h${run}v1h-${run}z`;
    }
  }

  const size = side === undefined ? '' : ` width="${side}" height="${side}"`;
  const background =
    resolved.light.a === 0
      ? ''
      : `<rect width="${total}" height="${total}" ${paint('fill', resolved.light)}/>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${total} ${total}"${size} shape-rendering="crispEdges">` +
    `${background}<path ${paint('fill', resolved.dark)} d="${d}"/></svg>`
  );
}
