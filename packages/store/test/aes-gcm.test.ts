/**
 * The two AES-256-GCM implementations behind `SecretBox`: the runtime's native cipher (Node.js here) and
 * the pure-JavaScript one for runtimes without `node:crypto`. They must be interchangeable: the same bytes
 * for the same inputs, each opening what the other sealed, and both refusing any changed byte (B6, B7).
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aesGcm, nobleAesGcm, nodeAesGcm } from '../src/aes-gcm';

const bytes = (n: number): Uint8Array => new Uint8Array(randomBytes(n));

describe('AES-256-GCM for SecretBox', () => {
  it('uses the native cipher on Node.js', () => {
    expect(nodeAesGcm).toBeDefined();
    expect(aesGcm).toBe(nodeAesGcm);
  });

  it('native and pure-JavaScript seal the same bytes and open each other’s, for every secret size', () => {
    const native = nodeAesGcm!;
    for (let size = 16; size <= 256; size += 15) {
      const key = bytes(32);
      const nonce = bytes(12);
      const aad = bytes(size % 40);
      const plaintext = bytes(size);
      const sealed = native.seal(key, nonce, aad, plaintext);
      expect(sealed).toEqual(nobleAesGcm.seal(key, nonce, aad, plaintext));
      expect(sealed.length).toBe(size + 16);
      expect(nobleAesGcm.open(key, nonce, aad, sealed)).toEqual(plaintext);
      expect(native.open(key, nonce, aad, sealed)).toEqual(plaintext);
    }
  });

  it('B7: both refuse a changed byte of the ciphertext or tag, another nonce, other associated data or another key', () => {
    const key = bytes(32);
    const nonce = bytes(12);
    const aad = bytes(24);
    const plaintext = bytes(20);
    const sealed = nobleAesGcm.seal(key, nonce, aad, plaintext);
    for (const impl of [nodeAesGcm!, nobleAesGcm]) {
      for (let i = 0; i < sealed.length; i++) {
        const changed = sealed.slice();
        changed[i]! ^= 0x01;
        expect(() => impl.open(key, nonce, aad, changed)).toThrow();
      }
      expect(() => impl.open(key, bytes(12), aad, sealed)).toThrow();
      expect(() => impl.open(key, nonce, bytes(24), sealed)).toThrow();
      expect(() => impl.open(bytes(32), nonce, aad, sealed)).toThrow();
      expect(() => impl.open(key, nonce, aad, sealed.subarray(0, 15))).toThrow();
    }
  });
});
