/**
 * @module
 * HMAC (RFC 2104) over an 8-byte counter with the key state kept between messages, plus RFC 4226
 * dynamic truncation. The inner and outer key states (one compression each) are computed once per key;
 * every counter then costs two compressions: a copy of the inner state absorbs the counter, a copy of
 * the outer state absorbs the inner digest. Hash states are allocated once per engine and reused.
 */

import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import type { CHash, Hash } from '@noble/hashes/utils.js';
import type { Algorithm } from './constants';

// Hash instances of one concrete class per engine; `any` is noble's own type argument for that.
// biome-ignore lint/suspicious/noExplicitAny: noble types a hash instance as Hash<any>
type HashState = Hash<any>;

function hashOf(algorithm: Algorithm): CHash {
  return algorithm === 'SHA1' ? sha1 : algorithm === 'SHA256' ? sha256 : sha512;
}

/**
 * RFC 4226 §5.3 dynamic truncation: the low 4 bits of the last byte select an offset, and the 31 bits
 * after it (top bit masked, §5.4) form the value the code is derived from.
 */
export function dynamicTruncate(digest: Uint8Array): number {
  const offset = digest[digest.length - 1]! & 0x0f;
  return (
    ((digest[offset]! & 0x7f) << 24) |
    (digest[offset + 1]! << 16) |
    (digest[offset + 2]! << 8) |
    digest[offset + 3]!
  );
}

/**
 * A reusable HMAC for one algorithm; `setKey` switches keys without allocating hash states.
 *
 * Only members of noble's `Hash` interface are used. States are reset by copying another state over
 * them (`_cloneInto`) and finished with `digestInto`; none is ever given to `destroy()` or `digest()`
 * (which destroys), since noble documents a destroyed instance as unusable. `wipe` copies the
 * never-keyed `blank` state over every state instead. What such a copy leaves alone, a state's buffer
 * of a partial block, never holds key bytes: the padded key is absorbed as one whole block, which noble
 * compresses from the caller's array (`test/hmac.node-crypto.test.ts` fails if that ever changes).
 */
export class HmacEngine {
  // Fields the constructor assigns are `declare`d: compiled for ES2022 they would otherwise also be
  // emitted as a field list, bytes every browser bundle of `verifyTotp` pays for.
  declare private readonly blank: HashState;
  declare private readonly inner: HashState;
  declare private readonly outer: HashState;
  declare private readonly work: HashState;
  declare private readonly pad: Uint8Array;
  /** `pad` as 32-bit words, so the pads are applied four bytes at a time (each pad byte repeats). */
  declare private readonly padWords: Uint32Array;
  private readonly message = new Uint8Array(8);
  /** H(K ⊕ ipad ‖ counter), then the tag over it; zeroed as soon as the tag has been read. */
  declare private readonly digest: Uint8Array;
  declare private readonly hash: CHash;

  constructor(algorithm: Algorithm) {
    const hash = hashOf(algorithm);
    this.hash = hash;
    this.blank = hash.create();
    this.inner = hash.create();
    this.outer = hash.create();
    this.work = hash.create();
    this.pad = new Uint8Array(hash.blockLen);
    this.padWords = new Uint32Array(this.pad.buffer);
    this.digest = new Uint8Array(hash.outputLen);
  }

  /** Derives the inner and outer key states of `key` (RFC 2104 §2). */
  setKey(key: Uint8Array): void {
    const pad = this.pad;
    // RFC 2104 §2: a key longer than the block is replaced by its hash; a shorter one is zero-padded
    // (never repeated: checklist A5).
    pad.fill(0);
    const hashed = key.length > pad.length ? this.hash(key) : undefined;
    pad.set(hashed ?? key);
    hashed?.fill(0);
    const words = this.padWords;
    for (let i = 0; i < words.length; i++) words[i]! ^= 0x36363636; // ipad
    // A whole block: noble compresses it straight from `pad`, so no key byte enters a state's buffer.
    this.blank._cloneInto(this.inner).update(pad);
    for (let i = 0; i < words.length; i++) words[i]! ^= 0x6a6a6a6a; // ipad ^ opad
    this.blank._cloneInto(this.outer).update(pad);
    pad.fill(0);
  }

  /**
   * HMAC(key, counter) for the counter `hi · 2^32 + lo`, in the engine's own array: read it before the
   * next call and zero it after (`truncated` does both).
   */
  mac(hi: number, lo: number): Uint8Array {
    const { message, work, digest } = this;
    message[0] = hi >>> 24;
    message[1] = hi >>> 16;
    message[2] = hi >>> 8;
    message[3] = hi;
    message[4] = lo >>> 24;
    message[5] = lo >>> 16;
    message[6] = lo >>> 8;
    message[7] = lo;
    this.inner._cloneInto(work).update(message).digestInto(digest);
    // `update` copies the inner digest into `work` before `digestInto` overwrites it with the tag.
    this.outer._cloneInto(work).update(digest).digestInto(digest);
    return digest;
  }

  /** The 31-bit dynamic-truncation value of HMAC(key, counter) for the counter `hi · 2^32 + lo`. */
  truncated(hi: number, lo: number): number {
    const value = dynamicTruncate(this.mac(hi, lo));
    this.digest.fill(0);
    return value;
  }

  /**
   * Returns every state to the unkeyed one and zeroes the engine's arrays, so no key-derived byte
   * outlives the call that needed it. No state is destroyed: the engine stays usable for the next key.
   */
  wipe(): void {
    const { blank, work, digest } = this;
    blank._cloneInto(this.inner);
    blank._cloneInto(this.outer);
    // The last outer pass left the inner digest in `work`'s partial-block buffer: absorbing as many
    // zeros overwrites it without a compression; the copy after that resets the length.
    digest.fill(0);
    blank._cloneInto(work).update(digest);
    blank._cloneInto(work);
    this.message.fill(0);
  }
}

// One engine per algorithm for the plain (unprepared) functions. The engine is synchronous and never
// calls out while keyed, so sharing it cannot interleave two keys.
const shared: Partial<Record<Algorithm, HmacEngine>> = {};

/** The shared engine of `algorithm`, created on first use. */
export function sharedEngine(algorithm: Algorithm): HmacEngine {
  let engine = shared[algorithm];
  if (engine === undefined) {
    engine = new HmacEngine(algorithm);
    shared[algorithm] = engine;
  }
  return engine;
}
