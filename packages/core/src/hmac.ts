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

/** A reusable HMAC for one algorithm; `setKey` switches keys without allocating. */
export class HmacEngine {
  readonly algorithm: Algorithm;
  private readonly blank: HashState;
  private readonly inner: HashState;
  private readonly outer: HashState;
  private readonly work: HashState;
  private readonly pad: Uint8Array;
  // The key block fed in two parts: noble hashes buffer a partial block and compress it through a view
  // they already own, where a whole block would cost a new DataView on every key change.
  private readonly padHead: Uint8Array;
  private readonly padTail: Uint8Array;
  private readonly message = new Uint8Array(8);
  private readonly hash: CHash;

  constructor(algorithm: Algorithm) {
    this.algorithm = algorithm;
    this.hash = hashOf(algorithm);
    this.blank = this.hash.create();
    this.inner = this.hash.create();
    this.outer = this.hash.create();
    this.work = this.hash.create();
    this.pad = new Uint8Array(this.blank.blockLen);
    this.padHead = this.pad.subarray(0, this.pad.length - 1);
    this.padTail = this.pad.subarray(this.pad.length - 1);
  }

  /** Derives the inner and outer key states of `key` (RFC 2104 §2). */
  setKey(key: Uint8Array): void {
    const pad = this.pad;
    // RFC 2104 §2: a key longer than the block is replaced by its hash; a shorter one is zero-padded
    // (never repeated: checklist A5).
    pad.fill(0);
    pad.set(key.length > pad.length ? this.hash(key) : key);
    for (let i = 0; i < pad.length; i++) pad[i]! ^= 0x36;
    this.blank._cloneInto(this.inner).update(this.padHead).update(this.padTail);
    for (let i = 0; i < pad.length; i++) pad[i]! ^= 0x36 ^ 0x5c;
    this.blank._cloneInto(this.outer).update(this.padHead).update(this.padTail);
    pad.fill(0);
  }

  /** HMAC of the big-endian counter `hi:lo`. */
  private mac(hi: number, lo: number): Uint8Array {
    const { message, work } = this;
    message[0] = hi >>> 24;
    message[1] = hi >>> 16;
    message[2] = hi >>> 8;
    message[3] = hi;
    message[4] = lo >>> 24;
    message[5] = lo >>> 16;
    message[6] = lo >>> 8;
    message[7] = lo;
    // `digest()` finishes in the hash's own buffer and copies 20-64 bytes out, which is cheaper than
    // `digestInto(out)`, whose foreign output buffer costs a new DataView per call. It also zeroes
    // the working state each time.
    const inner = this.inner._cloneInto(work).update(message).digest();
    const tag = this.outer._cloneInto(work).update(inner).digest();
    inner.fill(0);
    return tag;
  }

  /** The 31-bit dynamic-truncation value of HMAC(key, counter) for the counter `hi · 2^32 + lo`. */
  truncated(hi: number, lo: number): number {
    const tag = this.mac(hi, lo);
    const value = dynamicTruncate(tag);
    tag.fill(0);
    return value;
  }

  /** HMAC(key, counter), for tests against an independent HMAC (RFC 4226 App. D Table 1). */
  hmac(hi: number, lo: number): Uint8Array {
    return this.mac(hi, lo);
  }

  /** Zeroes every key-derived state, so no secret-derived bytes outlive the call that needed them. */
  wipe(): void {
    this.inner.destroy();
    this.outer.destroy();
    this.work.destroy();
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
