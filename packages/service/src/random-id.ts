/**
 * @module
 * Random ids for pending logins, enrollments and events: 128 bits from the injected CSPRNG, base64url.
 */
import { fillRandom, type RandomSource } from '@secondfactor/core';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** base64url without padding. @internal */
export function base64url(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += ALPHABET[(value >> bits) & 63];
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(value << (6 - bits)) & 63];
  return out;
}

/** The inverse of {@link base64url}; `null` for anything that is not its output. @internal */
export function fromBase64url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((text.length * 6) / 8));
  let bits = 0;
  let value = 0;
  let index = 0;
  for (const char of text) {
    value = (value << 6) | ALPHABET.indexOf(char);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[index++] = (value >> bits) & 255;
    }
    value &= (1 << bits) - 1;
  }
  // Canonical form only: leftover bits must be zero, so one id has one spelling.
  return value === 0 ? out : null;
}

const ID_BYTES = 16;
const POOL_IDS = 64;

/**
 * Random ids of 128 bits (22 characters), drawn from the random source 64 at a time: one call of the
 * source per 64 ids instead of one per id (the call, not the bytes, is what costs). Each id's bytes are
 * wiped from the pool as it is handed out, so the pool never holds an id already in use. @internal
 */
export class IdSource {
  readonly #random: RandomSource;
  readonly #pool = new Uint8Array(ID_BYTES * POOL_IDS);
  #next = POOL_IDS;

  constructor(random: RandomSource) {
    this.#random = random;
  }

  /** A fresh id of 128 random bits. */
  id(): string {
    if (this.#next === POOL_IDS) {
      fillRandom(this.#random, this.#pool, 'options.random');
      this.#next = 0;
    }
    const bytes = this.#pool.subarray(this.#next * ID_BYTES, (this.#next + 1) * ID_BYTES);
    this.#next += 1;
    const id = base64url(bytes);
    bytes.fill(0);
    return id;
  }
}
