import { createHash } from 'node:crypto';
import { _SHA1 } from '@noble/hashes/legacy.js';
import { _SHA256, _SHA512 } from '@noble/hashes/sha2.js';
import { createHotp, createTotp, hotp, totp, verifyHotp, verifyTotp } from '@secondfactor/core';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { HmacEngine } from '../src/hmac';
import { referenceHmac, referenceHotp, referenceTotp, referenceTruncate } from './helpers/reference';

// The engine keeps noble hash states between messages. These tests pin what it relies on against an
// independent HMAC (`node:crypto`), so a noble release that changes behaviour fails here first.

const ALGORITHMS = ['SHA1', 'SHA256', 'SHA512'] as const;
const algorithm = fc.constantFrom(...ALGORITHMS);
const counter = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const split = (c: bigint): [number, number] => [Number(c >> 32n), Number(c & 0xffff_ffffn)];
const NODE_HASH = { SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' } as const;
const BLOCK_BYTES = { SHA1: 64, SHA256: 64, SHA512: 128 } as const;
const digest = (alg: keyof typeof NODE_HASH, ...parts: Uint8Array[]): Uint8Array => {
  const hash = createHash(NODE_HASH[alg]);
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
};

describe('HMAC engine against node:crypto createHmac', () => {
  it('A2/A6: equals createHmac for random keys of 0-200 bytes and random 64-bit counters (SHA1, SHA256, SHA512)', () => {
    // One engine per algorithm for the whole run: every key change reuses the same hash states.
    const engines = {
      SHA1: new HmacEngine('SHA1'),
      SHA256: new HmacEngine('SHA256'),
      SHA512: new HmacEngine('SHA512'),
    };
    fc.assert(
      fc.property(
        algorithm,
        // Any length, and every length at a block edge (64 for SHA1/SHA256, 128 for SHA512) for sure.
        fc.oneof(
          fc.uint8Array({ minLength: 0, maxLength: 200 }),
          fc
            .constantFrom(0, 1, 20, 32, 63, 64, 65, 127, 128, 129, 200)
            .chain((length) => fc.uint8Array({ minLength: length, maxLength: length })),
        ),
        fc.array(counter, { minLength: 1, maxLength: 4 }),
        (alg, key, counters) => {
          const engine = engines[alg];
          engine.setKey(key);
          for (const c of counters) {
            const expected = referenceHmac(key, c, alg);
            expect(engine.mac(...split(c)).slice()).toEqual(expected);
            expect(engine.truncated(...split(c))).toBe(referenceTruncate(expected));
          }
          engine.wipe();
        },
      ),
      { numRuns: 600 },
    );
  });

  it('A1/A4/A6: hotp, totp and both verifiers agree with createHmac for random keys of 1-200 bytes', () => {
    fc.assert(
      fc.property(
        algorithm,
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        counter,
        fc.integer({ min: 6, max: 8 }),
        fc.integer({ min: 0, max: 2 ** 45 }),
        (alg, key, c, digits, time) => {
          const options = { algorithm: alg, digits };
          const code = referenceHotp(key, c, alg, digits);
          expect(hotp(key, c, options)).toBe(code);
          expect(createHotp(key, options).generate(c)).toBe(code);
          expect(
            verifyHotp(key, code, {
              ...options,
              ...(c === 0n ? {} : { lastUsedStep: c - 1n }),
              lookAhead: 0,
            }),
          ).toEqual({
            valid: true,
            // without lastUsedStep the counter comes back as a number
            counter: c === 0n ? 0 : c,
          });
          const timed = referenceTotp(key, time, alg, digits);
          expect(totp(key, { ...options, time })).toBe(timed);
          expect(createTotp(key, options).generate(time)).toBe(timed);
          expect(verifyTotp(key, timed, { ...options, time, window: 0 }).valid).toBe(true);
        },
      ),
      { numRuns: 600 },
    );
  });
});

// Every concrete noble class the engine instantiates, instrumented so a call on (or into) an instance
// after its destroy() is recorded. `digest()` calls destroy() itself, so it counts too.
const CLASSES = [_SHA1, _SHA256, _SHA512] as const;
const METHODS = ['update', 'digestInto', 'digest', '_cloneInto', 'clone'] as const;
type Method = (this: object, ...args: unknown[]) => unknown;
const restore: Array<() => void> = [];

afterEach(() => {
  for (const undo of restore.splice(0)) undo();
});

function watchDestroyed(): string[] {
  const destroyed = new WeakSet<object>();
  const misuse: string[] = [];
  for (const Class of CLASSES) {
    const proto = Class.prototype as unknown as Record<string, Method>;
    const own = (name: string) => Object.getOwnPropertyDescriptor(proto, name);
    for (const name of [...METHODS, 'destroy']) {
      const before = own(name);
      const original = proto[name]!;
      proto[name] = function (this: object, ...args: unknown[]): unknown {
        if (destroyed.has(this)) misuse.push(`${Class.name}.${name} on a destroyed instance`);
        if (name === '_cloneInto' && args[0] !== undefined && destroyed.has(args[0] as object)) {
          misuse.push(`${Class.name}._cloneInto into a destroyed instance`);
        }
        const result = original.apply(this, args);
        if (name === 'destroy') destroyed.add(this);
        return result;
      };
      restore.push(() => {
        if (before === undefined) delete proto[name];
        else Object.defineProperty(proto, name, before);
      });
    }
  }
  return misuse;
}

describe('HMAC engine and noble hash states', () => {
  it('A2: no noble hash instance is used after destroy() (keys are wiped without destroying states)', () => {
    const misuse = watchDestroyed();
    for (const alg of ALGORITHMS) {
      for (const length of [1, 20, 64, 129, 200]) {
        const key = new Uint8Array(length).map((_, i) => i * 7 + length);
        for (let round = 0; round < 3; round++) {
          expect(hotp(key, round, { algorithm: alg })).toBe(referenceHotp(key, BigInt(round), alg));
          expect(totp(key, { algorithm: alg, time: round * 30_000 })).toBe(
            referenceTotp(key, round * 30_000, alg),
          );
          verifyTotp(key, '000000', { algorithm: alg, time: 90_000 });
          verifyHotp(key, '000000', { algorithm: alg, lastUsedStep: round });
        }
        const prepared = createTotp(key, { algorithm: alg });
        prepared.generate(0);
        prepared.verify('000000', { time: 0 });
        prepared.destroy();
        const counterOtp = createHotp(key, { algorithm: alg });
        counterOtp.verify('000000');
        counterOtp.destroy();
        const engine = new HmacEngine(alg);
        engine.setKey(key);
        engine.mac(0, 1);
        engine.wipe();
        engine.setKey(key);
        expect(engine.mac(0, 1).slice()).toEqual(referenceHmac(key, 1n, alg));
        engine.wipe();
      }
    }
    expect(misuse).toEqual([]);
  });

  it('A2: wipe() returns every hash state to the unkeyed state and leaves no key-derived bytes behind', () => {
    const has = (haystack: Uint8Array, needle: Uint8Array): boolean => {
      outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
        for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
        return true;
      }
      return false;
    };
    // Every Uint8Array reachable from the engine, and every hash state it holds.
    const reachable = (
      root: object,
    ): { bytes: Uint8Array[]; states: Array<{ clone(): { digest(): Uint8Array } }> } => {
      const bytes: Uint8Array[] = [];
      const states: Array<{ clone(): { digest(): Uint8Array } }> = [];
      const seen = new Set<object>();
      const walk = (value: unknown, depth: number): void => {
        if (typeof value !== 'object' || value === null || seen.has(value) || depth > 3) return;
        seen.add(value);
        if (value instanceof Uint8Array) {
          bytes.push(value);
          return;
        }
        if (ArrayBuffer.isView(value)) return;
        if (typeof (value as { _cloneInto?: unknown })._cloneInto === 'function') {
          states.push(value as { clone(): { digest(): Uint8Array } });
        }
        for (const child of Object.values(value)) walk(child, depth + 1);
      };
      walk(root, 0);
      return { bytes, states };
    };

    for (const alg of ALGORITHMS) {
      const blockLen = BLOCK_BYTES[alg];
      for (const length of [20, 64, 200]) {
        const key = new Uint8Array(length).map((_, i) => (i * 151 + 89) & 0xff);
        const block = new Uint8Array(blockLen);
        block.set(length > blockLen ? digest(alg, key) : key);
        const innerPad = block.map((b) => b ^ 0x36);
        const counter5 = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 5]);
        // The key, both padded key blocks, the inner digest and the tag of the last counter computed.
        const secrets = [
          key.subarray(0, 8),
          innerPad.subarray(0, 8),
          block.map((b) => b ^ 0x5c).subarray(0, 8),
          digest(alg, innerPad, counter5).subarray(0, 8),
          referenceHmac(key, 5n, alg).subarray(0, 8),
        ];
        const engine = new HmacEngine(alg);
        engine.setKey(key);
        engine.truncated(0, 5);
        engine.wipe();
        const { bytes, states } = reachable(engine);
        expect(states.length).toBeGreaterThanOrEqual(3);
        const empty = digest(alg);
        for (const state of states) expect(state.clone().digest()).toEqual(empty);
        for (const array of bytes) {
          for (const secret of secrets) expect(has(array, secret), `${alg}, ${length}-byte key`).toBe(false);
        }
      }
    }
  });
});
