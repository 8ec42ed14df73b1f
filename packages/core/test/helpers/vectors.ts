/**
 * @module
 * The RFC 4226 / RFC 6238 test vectors, read from `test/vectors/rfc4226-rfc6238.json` (each section's
 * source is named in the file's `sources`).
 */

import { readFileSync } from 'node:fs';
import type { Algorithm } from '@secondfactor/core';

/** Shape of `rfc4226-rfc6238.json`. */
export interface RfcVectors {
  sources: Record<'hotp' | 'section5_4' | 'totp' | 'negative_control', string>;
  seeds_ascii: Record<Algorithm, string>;
  /** RFC 4226 App. D: Table 1 (`hmac`), Table 2 (`truncated_*`) and the HOTP value per counter. */
  hotp: Array<{
    counter: number;
    hmac: string;
    truncated_hex: string;
    truncated_decimal: number;
    code: string;
  }>;
  /** RFC 4226 §5.4: the worked dynamic-truncation example. */
  section5_4: { hmac: string; offset: number; hex: string; decimal: number; hotp: string };
  totp: Array<{ time: number; algorithm: Algorithm; code: string }>;
  negative_control: { note: string; SHA256_20byte_seed_t59: string; SHA512_20byte_seed_t59: string };
}

/** The parsed vector file. */
export const VECTORS: RfcVectors = JSON.parse(
  readFileSync(new URL('../vectors/rfc4226-rfc6238.json', import.meta.url), 'utf8'),
) as RfcVectors;

/** The ASCII seed of `algorithm` as bytes. */
export function seed(algorithm: Algorithm): Uint8Array {
  return new TextEncoder().encode(VECTORS.seeds_ascii[algorithm]);
}
