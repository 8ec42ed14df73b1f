/**
 * @module
 * Digests of backup codes, the only form in which codes are stored (checklist F2): an HMAC-SHA-256
 * under a server key kept outside the database, or, for hosts without such a key, scrypt with a random
 * salt per set. Either way one digest is computed per attempt and found with one indexed lookup.
 */

import { hmac } from '@noble/hashes/hmac.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { fillRandom, type RandomSource, SecondFactorError } from '@secondfactor/core';
import { platformRandom } from './random';

/**
 * Shortest HMAC key accepted: 256 bits, the output size of SHA-256 (RFC 2104 §3).
 *
 * @example
 * ```ts
 * import { createBackupCodeHasher, MIN_HMAC_KEY_BYTES } from '@secondfactor/backup-codes';
 *
 * const key = await loadKeyFromSecretStore('backup-codes'); // a Uint8Array kept outside the database
 * if (key.length < MIN_HMAC_KEY_BYTES) throw new Error('the backup-code key must hold at least 32 bytes');
 * const hasher = createBackupCodeHasher({ key });
 * ```
 */
export const MIN_HMAC_KEY_BYTES = 32;

/**
 * scrypt cost parameters (RFC 7914 §2).
 *
 * @example
 * ```ts
 * import { createBackupCodeHasher, type ScryptCost } from '@secondfactor/backup-codes';
 *
 * const cost: ScryptCost = { N: 2 ** 16, r: 8, p: 1 }; // 64 MiB per digest
 * const hasher = createBackupCodeHasher({ mode: 'scrypt', cost });
 * ```
 */
export interface ScryptCost {
  /** CPU/memory cost, a power of two. Memory used is `128 · r · N` bytes. */
  N: number;
  /** Block size. */
  r: number;
  /** Parallelisation. */
  p: number;
}

/**
 * Default scrypt cost: 2^15, 8, 1 — 32 MiB and about 0.2 s per digest in pure JavaScript.
 *
 * @example
 * ```ts
 * import { createBackupCodeHasher, DEFAULT_SCRYPT_COST } from '@secondfactor/backup-codes';
 *
 * // twice the default memory and work
 * const cost = { ...DEFAULT_SCRYPT_COST, N: DEFAULT_SCRYPT_COST.N * 2 };
 * const hasher = createBackupCodeHasher({ mode: 'scrypt', cost });
 * ```
 */
export const DEFAULT_SCRYPT_COST: Readonly<ScryptCost> = Object.freeze({ N: 2 ** 15, r: 8, p: 1 });

/**
 * Options of the keyed-digest hasher (the default mode).
 *
 * @example
 * ```ts
 * import { createBackupCodeHasher, type HmacHasherOptions } from '@secondfactor/backup-codes';
 *
 * const options: HmacHasherOptions = { mode: 'hmac', key: serverKeyBytes }; // 32+ bytes from your secret store
 * const hasher = createBackupCodeHasher(options);
 * ```
 */
export interface HmacHasherOptions {
  /** @default 'hmac' */
  mode?: 'hmac' | undefined;
  /** The server key: at least 32 random bytes, kept outside the database (environment, KMS, secret store). */
  key: Uint8Array;
}

/**
 * Options of the salted slow-hash hasher.
 *
 * @example
 * ```ts
 * import { createBackupCodeHasher, type ScryptHasherOptions } from '@secondfactor/backup-codes';
 *
 * // in tests only: a cheap cost that production refuses
 * const options: ScryptHasherOptions = { mode: 'scrypt', cost: { N: 2 ** 4, r: 1, p: 1 }, allowLowCost: true };
 * const hasher = createBackupCodeHasher(options);
 * ```
 */
export interface ScryptHasherOptions {
  mode: 'scrypt';
  /**
   * Cost of new sets. Sets keep the cost they were issued with (it is recorded in their salt), so
   * raising it later needs no migration.
   * @default DEFAULT_SCRYPT_COST (N 2^15, r 8, p 1)
   */
  cost?: ScryptCost | undefined;
  /**
   * Accept N below 2^14, for tests only: a production host never sets this.
   * @default false
   */
  allowLowCost?: boolean | undefined;
  /**
   * Source of the salt bytes: fills the array it is given (`RandomSource` of `@secondfactor/core`); one that leaves it
   * unwritten is refused.
   * @default the platform CSPRNG
   */
  random?: RandomSource | undefined;
}

/**
 * Turns normalised codes into the digests the store keeps. Create one with {@link createBackupCodeHasher}.
 *
 * @example
 * ```ts
 * import { type BackupCodeHasher, createBackupCodeHasher, normalizeBackupCode } from '@secondfactor/backup-codes';
 *
 * const hasher: BackupCodeHasher = createBackupCodeHasher({ mode: 'scrypt' });
 * const salt = hasher.newSalt(); // one per set; `undefined` for an hmac hasher
 * const code = normalizeBackupCode('7k2m-qx9p-r4td-w3hb'); // '7K2MQX9PR4TDW3HB'
 * if (code !== null) await hasher.digest('user-1', code, salt); // lowercase hex
 * ```
 */
export interface BackupCodeHasher {
  readonly mode: 'hmac' | 'scrypt';
  /** A fresh salt for a new set in scrypt mode (recorded in the set); `undefined` in hmac mode. */
  newSalt(): string | undefined;
  /**
   * Lowercase-hex digest of a normalised `code` of `userId`. `salt` is the set's salt in scrypt mode and
   * must be `undefined` in hmac mode.
   */
  digest(userId: string, code: string, salt: string | undefined): Promise<string>;
}

const encoder = new TextEncoder();
const SALT_VERSION = 1;
const SALT_RANDOM_BYTES = 16;
const MAX_SCRYPT_MEMORY = 256 * 1024 * 1024;
const SALT_PATTERN = /^(?:[0-9a-f]{2}){20}$/;

// Domain separation, then the user id, then the code. Ids never contain NUL (the store rejects control
// characters) and codes are Crockford symbols, so the encoding is unambiguous. Binding the user id means a digest
// copied into another user's set does not verify there.
function message(userId: string, code: string): Uint8Array {
  if (typeof userId !== 'string' || userId.length === 0 || userId.includes('\u0000')) {
    throw new SecondFactorError('invalid_argument', 'userId must be a non-empty string without NUL');
  }
  if (typeof code !== 'string' || !/^[0-9A-HJKMNP-TV-Z]{1,64}$/.test(code)) {
    throw new SecondFactorError('invalid_argument', 'code must be a normalised backup code');
  }
  return encoder.encode(`secondfactor.backup-code.v1\u0000${userId}\u0000${code}`);
}

function checkCost(cost: ScryptCost, allowLowCost: boolean, name: string): void {
  const { N, r, p } = cost;
  const minN = allowLowCost ? 2 : 2 ** 14;
  if (!Number.isSafeInteger(N) || N < minN || N > 2 ** 20 || (N & (N - 1)) !== 0) {
    throw new SecondFactorError('invalid_argument', `${name}.N must be a power of two from ${minN} to 2^20`);
  }
  if (!Number.isSafeInteger(r) || r < 1 || r > 32) {
    throw new SecondFactorError('invalid_argument', `${name}.r must be an integer from 1 to 32`);
  }
  if (!Number.isSafeInteger(p) || p < 1 || p > 16) {
    throw new SecondFactorError('invalid_argument', `${name}.p must be an integer from 1 to 16`);
  }
  // RFC 7914 §2: scrypt needs 128 · r · N bytes; cap it so a configuration or a tampered salt cannot
  // make one verification take a quarter of a gigabyte or more.
  if (128 * r * N > MAX_SCRYPT_MEMORY) {
    throw new SecondFactorError('invalid_argument', `${name} must need at most 256 MiB (128 · r · N bytes)`);
  }
}

function hmacHasher(options: HmacHasherOptions): BackupCodeHasher {
  if (!(options.key instanceof Uint8Array) || options.key.length < MIN_HMAC_KEY_BYTES) {
    throw new SecondFactorError(
      'invalid_argument',
      `key must be a Uint8Array of at least ${MIN_HMAC_KEY_BYTES} bytes`,
    );
  }
  // A private copy (not `slice`, which on a Node Buffer returns a view of the same memory): a caller
  // reusing or wiping its buffer must not change what stored digests mean.
  const key = new Uint8Array(options.key);
  return {
    mode: 'hmac',
    newSalt: () => undefined,
    async digest(userId, code, salt) {
      if (salt !== undefined) {
        throw new SecondFactorError('invalid_argument', 'salt must be undefined for an hmac hasher');
      }
      return bytesToHex(hmac(sha256, key, message(userId, code)));
    },
  };
}

function scryptHasher(options: ScryptHasherOptions): BackupCodeHasher {
  const allowLowCost = options.allowLowCost === true;
  const cost = options.cost ?? DEFAULT_SCRYPT_COST;
  checkCost(cost, allowLowCost, 'cost');
  const random = options.random ?? platformRandom;
  return {
    mode: 'scrypt',
    newSalt() {
      // Salt layout (hex): version, log2 N, r, p, then 128 random bits (NIST asks for at least 32).
      const bytes = new Uint8Array(4 + SALT_RANDOM_BYTES);
      bytes.set([SALT_VERSION, Math.log2(cost.N), cost.r, cost.p]);
      fillRandom(random, bytes.subarray(4), 'options.random');
      return bytesToHex(bytes);
    },
    async digest(userId, code, salt) {
      if (typeof salt !== 'string' || !SALT_PATTERN.test(salt)) {
        throw new SecondFactorError('invalid_argument', 'salt must be a salt made by this hasher');
      }
      const bytes = hexToBytes(salt);
      if (bytes[0] !== SALT_VERSION)
        throw new SecondFactorError('invalid_argument', 'salt has an unknown version');
      const stored = { N: 2 ** (bytes[1] ?? 0), r: bytes[2] ?? 0, p: bytes[3] ?? 0 };
      // The cost comes from the set, so older sets keep verifying after the configured cost changes;
      // it is still bounded, so a tampered salt cannot make a verification cheap or exhaust memory.
      checkCost(stored, allowLowCost, 'salt cost');
      const derived = await scryptAsync(message(userId, code), bytes, { ...stored, dkLen: 32 });
      return bytesToHex(derived);
    },
  };
}

/**
 * A hasher for backup codes.
 *
 * - `{ key }` (default, recommended): HMAC-SHA-256 under a server key. The key acts as a pepper the
 *   database does not hold, so a stolen table cannot be searched offline at any code length (F2).
 * - `{ mode: 'scrypt' }`: for hosts without a server key. Each set gets a random 128-bit salt with the
 *   cost recorded beside it; a digest costs about 0.2 s and 32 MiB at the default cost.
 *
 * @throws {SecondFactorError} `invalid_argument` for a key shorter than 32 bytes or a cost outside the
 * accepted range.
 *
 * @example
 * ```ts
 * import { createBackupCodeHasher } from '@secondfactor/backup-codes';
 *
 * const keyed = createBackupCodeHasher({ key: serverKeyBytes }); // 32+ bytes from your secret store
 * const salted = createBackupCodeHasher({ mode: 'scrypt' });
 * ```
 */
export function createBackupCodeHasher(options: HmacHasherOptions | ScryptHasherOptions): BackupCodeHasher {
  if (typeof options !== 'object' || options === null) {
    throw new SecondFactorError('invalid_argument', 'options must be an object');
  }
  if (options.mode === 'scrypt') return scryptHasher(options);
  if (options.mode !== undefined && options.mode !== 'hmac') {
    throw new SecondFactorError('invalid_argument', 'mode must be "hmac" or "scrypt"');
  }
  return hmacHasher(options);
}
