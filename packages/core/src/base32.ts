/**
 * @module
 * RFC 4648 §6 base32, the encoding of authenticator secrets, and the grouped form people type when
 * they cannot scan a QR code.
 */

import { SecondFactorError } from './errors';
import { checkOptions, invalidArgument, isBytes } from './validate';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

// Character code → 5-bit value, -1 for characters outside the alphabet. Lowercase maps like uppercase.
const VALUES: Int8Array = /* @__PURE__ */ (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < 32; i++) {
    table[ALPHABET.charCodeAt(i)] = i;
    table[ALPHABET.toLowerCase().charCodeAt(i)] = i;
  }
  return table;
})();

// RFC 4648 §6: the number of '=' after a final quantum of 8, 16, 24 or 32 bits (2, 4, 5 or 7 symbols).
const PADDING_AFTER: Readonly<Record<number, number>> = { 2: 6, 4: 4, 5: 3, 7: 1 };

/**
 * Options of {@link base32Encode}.
 *
 * @example
 * ```ts
 * import { type Base32EncodeOptions, base32Encode } from '@secondfactor/core';
 *
 * const options: Base32EncodeOptions = { padding: true };
 * base32Encode(new TextEncoder().encode('f'), options); // 'MY======'
 * ```
 */
export interface Base32EncodeOptions {
  /**
   * Append `=` to a multiple of 8 characters (RFC 4648 §6). Key URIs want it off.
   * @default false
   */
  padding?: boolean | undefined;
}

/**
 * Encodes bytes as uppercase RFC 4648 base32, unpadded by default (the form Key URIs use).
 *
 * @throws {SecondFactorError} `invalid_argument` when `bytes` is not a `Uint8Array`.
 *
 * @example
 * ```ts
 * import { base32Encode } from '@secondfactor/core';
 *
 * base32Encode(new TextEncoder().encode('foobar')); // 'MZXW6YTBOI'
 * base32Encode(new TextEncoder().encode('foobar'), { padding: true }); // 'MZXW6YTBOI======'
 * ```
 */
export function base32Encode(bytes: Uint8Array, options?: Base32EncodeOptions): string {
  if (!isBytes(bytes)) throw invalidArgument('bytes', 'must be a Uint8Array');
  const padding = checkOptions<Base32EncodeOptions>(options).padding ?? false;
  if (typeof padding !== 'boolean') throw invalidArgument('options.padding', 'must be a boolean');
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < bytes.length; i++) {
    buffer = ((buffer & 0xff) << 8) | bytes[i]!;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >>> bits) & 31];
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  if (padding && out.length % 8 !== 0) out += '='.repeat(8 - (out.length % 8));
  return out;
}

function invalidBase32(message: string): SecondFactorError {
  return new SecondFactorError('invalid_base32', message);
}

/**
 * Decodes RFC 4648 base32. Accepts lowercase, spaces and hyphens anywhere (grouped manual-entry keys)
 * and missing padding; padding that is present must be complete and last. Rejects every other
 * character, lengths no byte string encodes to (1, 3 or 6 symbols in the final group) and a last
 * symbol whose bits after the last whole byte are not zero (RFC 4648 §3.5), so every accepted text is
 * the encoding of its bytes, up to case, separators and padding ({@link base32Encode} writes it back).
 *
 * @throws {SecondFactorError} `invalid_base32` for text that is not base32 (the message may give a
 * position, never the text); `invalid_argument` when `text` is not a string.
 *
 * @example
 * ```ts
 * import { base32Decode } from '@secondfactor/core';
 *
 * base32Decode('mzxw 6ytb-oi'); // the bytes of 'foobar'
 * ```
 */
export function base32Decode(text: string): Uint8Array {
  if (typeof text !== 'string') throw invalidArgument('text', 'must be a string');
  // Count symbols and padding first, so the output is allocated once at its exact size.
  let symbols = 0;
  let pads = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x2d) continue;
    if (c === 0x3d) {
      pads++;
      continue;
    }
    if (c >= 128 || VALUES[c]! < 0)
      throw invalidBase32(`text has a character outside A-Z, 2-7 at position ${i}`);
    if (pads > 0) throw invalidBase32(`text has padding before position ${i}`);
    symbols++;
  }
  const tail = symbols % 8;
  if (tail === 1 || tail === 3 || tail === 6) {
    throw invalidBase32(`text has an impossible length (${symbols} symbols)`);
  }
  if (pads > 0 && pads !== (PADDING_AFTER[tail] ?? -1)) throw invalidBase32('text has wrong padding');
  const out = new Uint8Array(Math.floor((symbols * 5) / 8));
  let buffer = 0;
  let bits = 0;
  let j = 0;
  for (let i = 0; i < text.length; i++) {
    const value = VALUES[text.charCodeAt(i)] ?? -1;
    if (value < 0) continue;
    buffer = ((buffer & 0xff) << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = buffer >>> bits;
    }
  }
  // RFC 4648 §3.5: the 1-4 bits after the last whole byte are zero in the encoding of any bytes. A text
  // with one of them set is not an encoding: refusing it keeps one spelling per secret ('…OI', not '…OJ').
  if ((buffer & ((1 << bits) - 1)) !== 0) {
    out.fill(0);
    throw invalidBase32('text has non-zero bits after its last byte (not a canonical encoding)');
  }
  return out;
}

/**
 * The secret as people type it from a screen: unpadded uppercase base32 in groups of four, separated
 * by spaces (the "can't scan the QR code?" path). {@link base32Decode} reads it back as is.
 *
 * @throws {SecondFactorError} `invalid_argument` when `bytes` is not a `Uint8Array`.
 *
 * @example
 * ```ts
 * import { formatSecretForManualEntry, generateSecret } from '@secondfactor/core';
 *
 * formatSecretForManualEntry(generateSecret()); // e.g. 'JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP'
 * ```
 */
export function formatSecretForManualEntry(bytes: Uint8Array): string {
  return base32Encode(bytes).replace(/.{4}(?=.)/g, '$& ');
}
