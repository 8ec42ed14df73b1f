/**
 * @module
 * The shared RFC 4226 / RFC 6238 vector file, read from `../shared/vectors/` beside the repository
 * root (where CI and every developer have it).
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Algorithm } from '@secondfactor/core';

/** The repository root (`/work/main` here). */
export const REPO_ROOT: string = fileURLToPath(new URL('../../../../', import.meta.url));

/** Shape of `rfc4226-rfc6238.json`. */
export interface RfcVectors {
  source: string;
  seeds_ascii: Record<Algorithm, string>;
  hotp: Array<{ counter: number; code: string }>;
  totp: Array<{ time: number; algorithm: Algorithm; code: string }>;
  negative_control: { note: string; SHA256_20byte_seed_t59: string; SHA512_20byte_seed_t59: string };
}

/** The parsed vector file. */
export const VECTORS: RfcVectors = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('../shared/vectors/rfc4226-rfc6238.json', `file://${REPO_ROOT}`)),
    'utf8',
  ),
) as RfcVectors;

/** The ASCII seed of `algorithm` as bytes. */
export function seed(algorithm: Algorithm): Uint8Array {
  return new TextEncoder().encode(VECTORS.seeds_ascii[algorithm]);
}
