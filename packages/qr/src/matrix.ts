/**
 * @module
 * Encodes a URI into a QR symbol with the `qrcode` package, locally and synchronously, and exposes
 * the module grid the SVG and terminal renderers draw from.
 */

import { SecondFactorError } from '@secondfactor/core';
import { create } from 'qrcode';
import type { ErrorCorrectionLevel } from './options';

/** A QR symbol's module grid, quiet zone excluded. @internal */
export interface QrMatrix {
  /** QR version, 1–40 (ISO/IEC 18004 §6.4). */
  readonly version: number;
  /** Modules per side: 17 + 4 × version. */
  readonly size: number;
  /** True for a dark module; coordinates outside the symbol (the quiet zone) are light. */
  isDark(row: number, column: number): boolean;
}

/**
 * Encodes `text` (UTF-8 in byte mode, with numeric and alphanumeric runs packed tighter by `qrcode`).
 * The only way a checked URI fails here is by not fitting, reported as `invalid_uri`; the encoder's own
 * error is not attached as `cause` so nothing it might echo from the input can leak.
 * @internal
 */
export function encodeMatrix(text: string, errorCorrectionLevel: ErrorCorrectionLevel): QrMatrix {
  let symbol: ReturnType<typeof create>;
  try {
    symbol = create(text, { errorCorrectionLevel });
  } catch {
    throw new SecondFactorError(
      'invalid_uri',
      `uri does not fit in a QR code at error correction level ${errorCorrectionLevel}; use a lower level or a shorter label`,
    );
  }
  const { size, data } = symbol.modules;
  return {
    version: symbol.version,
    size,
    isDark: (row, column) =>
      row >= 0 && column >= 0 && row < size && column < size && data[row * size + column] === 1,
  };
}
