/**
 * @module
 * Terminal rendering: the QR code as plain text of block characters, for CLIs and demos.
 * No ANSI escape sequences, so the output can be logged, piped or snapshotted as it is.
 */

import { SecondFactorError } from '@secondfactor/core';
import { resolveUri, type UriOrParams } from './input';
import { encodeMatrix } from './matrix';
import { checkOptionsObject, optionOr, type QrOptions, resolveQrOptions } from './options';

/**
 * Options of {@link toTerminal}.
 *
 * @example
 * ```ts
 * import { toTerminal } from '@secondfactor/qr';
 *
 * console.log(toTerminal(uri, { small: false, background: 'light' }));
 * ```
 */
export interface TerminalOptions extends QrOptions {
  /**
   * Compact output: each text line holds two module rows drawn with the half blocks `▀` `▄` `█`,
   * so the code is about as tall as it is wide in a terminal font. `false` draws every module as two
   * full blocks per line, twice the height, for fonts whose half blocks leave gaps.
   * @default true
   */
  small?: boolean | undefined;
  /**
   * Background colour of the terminal that will show the code. Characters are drawn in the text
   * colour, so on a dark background the light modules are drawn and the dark ones left empty, and
   * the other way round on a light background. Scanners need dark modules on a light field.
   * @default 'dark'
   */
  background?: 'dark' | 'light' | undefined;
}

// Index: top module painted ×2 + bottom module painted.
const HALF_BLOCKS = [' ', '▄', '▀', '█'] as const;

/**
 * Renders the QR code of a provisioning URI as text for a terminal. Every line has the same number
 * of characters (trailing spaces kept), lines are joined with `\n`, and there is no final newline.
 *
 * With `small` (the default), a symbol of N modules and margin m is N + 2m characters wide and
 * ⌈(N + 2m) / 2⌉ lines tall; otherwise 2(N + 2m) characters wide and N + 2m lines tall.
 *
 * @param uriOrParams - an `otpauth://` URI, or the parameters of `buildKeyUri` from `@secondfactor/core`.
 * @param options - error correction level, margin (default 2 here, to fit small terminals), size, background.
 * @throws SecondFactorError `invalid_uri` for a string that is not an `otpauth://` URI, is longer than
 *   `MAX_KEY_URI_LENGTH` (of `@secondfactor/core`) or does not fit in a QR code; `invalid_argument` for a bad option.
 *
 * @example
 * ```ts
 * import { toTerminal } from '@secondfactor/qr';
 *
 * console.log(toTerminal('otpauth://totp/Acme:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Acme'));
 * ```
 */
export function toTerminal(uriOrParams: UriOrParams, options?: TerminalOptions): string {
  const uri = resolveUri(uriOrParams);
  const raw = checkOptionsObject(options);
  const { errorCorrectionLevel, margin } = resolveQrOptions(raw, 2);
  const small = optionOr(raw, 'small', true);
  if (typeof small !== 'boolean') {
    throw new SecondFactorError('invalid_argument', 'options.small must be a boolean');
  }
  const background = optionOr(raw, 'background', 'dark');
  if (background !== 'dark' && background !== 'light') {
    throw new SecondFactorError('invalid_argument', "options.background must be 'dark' or 'light'");
  }
  const matrix = encodeMatrix(uri, errorCorrectionLevel);
  const total = matrix.size + 2 * margin;
  const drawDark = background === 'light';
  // Rows and columns here include the quiet zone; anything past it is the terminal's own background.
  const painted = (row: number, column: number): boolean =>
    row < total && matrix.isDark(row - margin, column - margin) === drawDark;

  const lines: string[] = [];
  for (let row = 0; row < total; row += small ? 2 : 1) {
    let line = '';
    for (let column = 0; column < total; column++) {
      if (small) {
        line += HALF_BLOCKS[(painted(row, column) ? 2 : 0) + (painted(row + 1, column) ? 1 : 0)];
      } else {
        line += painted(row, column) ? '██' : '  ';
      }
    }
    lines.push(line);
  }
  return lines.join('\n');
}
