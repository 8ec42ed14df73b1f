import { base32Encode, isSecondFactorError } from '@secondfactor/core';
import { type CredentialRecord, MemoryStore, SecretBox, type SecretBoxOptions } from '@secondfactor/store';
import { describe, expect, it, vi } from 'vitest';
import { assertCiphertext } from '../src/validate';

const key = (): Uint8Array => crypto.getRandomValues(new Uint8Array(32));
const secret = (length = 20): Uint8Array => crypto.getRandomValues(new Uint8Array(length));
const binding = { userId: 'user-1', credentialId: 'cred-1' };
const hex = (bytes: Uint8Array): string =>
  Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isSecondFactorError(error) ? error.code : `not a SecondFactorError: ${String(error)}`;
  }
  return undefined;
}

// Independent of the implementation: base64url via atob, associated data rebuilt from the documented layout.
function decodePayload(sealed: string): Uint8Array {
  const body = sealed.split('.')[2] ?? '';
  const base64 = body.replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)), (char) =>
    char.charCodeAt(0),
  );
}
function documentedAad(parts: string[]): Uint8Array<ArrayBuffer> {
  const chunks = parts.flatMap((part) => {
    const bytes = new TextEncoder().encode(part);
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, bytes.length);
    return [length, bytes];
  });
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
const reencode = (sealed: string, payload: Uint8Array): string => {
  const [version, keyId] = sealed.split('.');
  const base64 = btoa(String.fromCharCode(...payload));
  return `${version}.${keyId}.${base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
};

describe('SecretBox seal and open', () => {
  it('round-trips a secret, in the sf1.<keyId>.<base64url> format the store accepts', () => {
    const box = new SecretBox({ keys: { k1: key() }, currentKeyId: 'k1' });
    for (const length of [16, 20, 32, 64, 256]) {
      const plaintext = secret(length);
      const sealed = box.seal(plaintext, binding);
      expect(sealed).toMatch(/^sf1\.k1\.[A-Za-z0-9_-]+$/);
      expect(() => assertCiphertext('sealed', sealed)).not.toThrow();
      expect(box.open(sealed, binding)).toEqual(plaintext);
    }
  });

  it('is AES-256-GCM as WebCrypto computes it: nonce ‖ ciphertext ‖ tag, associated data as documented', async () => {
    const raw = key();
    const box = new SecretBox({ keys: { k1: raw }, currentKeyId: 'k1' });
    const plaintext = secret();
    const sealed = box.seal(plaintext, binding);
    const payload = decodePayload(sealed);
    expect(payload.length).toBe(12 + plaintext.length + 16);
    const cryptoKey = await crypto.subtle.importKey('raw', raw.slice(), 'AES-GCM', false, ['decrypt']);
    const additionalData = documentedAad(['sf1', 'k1', binding.userId, binding.credentialId]);
    const opened = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: payload.slice(0, 12), additionalData },
      cryptoKey,
      payload.slice(12),
    );
    expect(new Uint8Array(opened)).toEqual(plaintext);
  });

  it('B3: draws a fresh 12-byte nonce from crypto.getRandomValues for every seal', () => {
    const spy = vi.spyOn(crypto, 'getRandomValues');
    const box = new SecretBox({ keys: { k1: key() }, currentKeyId: 'k1' });
    const plaintext = secret();
    spy.mockClear();
    const [a, b] = [box.seal(plaintext, binding), box.seal(plaintext, binding)];
    expect(spy).toHaveBeenCalledTimes(2);
    expect((spy.mock.calls[0] as [Uint8Array])[0].length).toBe(12);
    spy.mockRestore();
    expect(a).not.toBe(b);
    expect(decodePayload(a).subarray(0, 12)).not.toEqual(decodePayload(b).subarray(0, 12));
  });

  it('B6: takes no injected random source, so a constant one can never make AES-GCM nonces repeat', () => {
    const constant = (bytes: Uint8Array): Uint8Array => bytes.fill(7);
    const options = { keys: { k1: key() }, currentKeyId: 'k1', random: constant } as SecretBoxOptions;
    expect(codeOf(() => new SecretBox(options))).toBe('invalid_argument');
    // Even when the option slips through a cast, two seals never share a nonce.
    const box = new SecretBox({ keys: { k1: key() }, currentKeyId: 'k1' });
    const nonces = new Set<string>();
    for (let i = 0; i < 50; i++)
      nonces.add(decodePayload(box.seal(secret(), binding)).subarray(0, 12).join());
    expect(nonces.size).toBe(50);
  });

  it('B7: a ciphertext does not open for another user, another credential, or a re-split of the same ids', () => {
    const box = new SecretBox({ keys: { k1: key() }, currentKeyId: 'k1' });
    const sealed = box.seal(secret(), { userId: 'ab', credentialId: 'c' });
    expect(codeOf(() => box.open(sealed, { userId: 'ab', credentialId: 'd' }))).toBe('decrypt_failed');
    expect(codeOf(() => box.open(sealed, { userId: 'ax', credentialId: 'c' }))).toBe('decrypt_failed');
    expect(codeOf(() => box.open(sealed, { userId: 'a', credentialId: 'bc' }))).toBe('decrypt_failed');
    expect(codeOf(() => box.open(sealed, { userId: 'c', credentialId: 'ab' }))).toBe('decrypt_failed');
    expect(codeOf(() => box.open(sealed, { userId: 'ab', credentialId: 'c' }))).toBeUndefined();
  });

  it('B7: a ciphertext copied into another user’s or another credential’s record fails to decrypt', async () => {
    const box = new SecretBox({ keys: { k1: key() }, currentKeyId: 'k1' });
    const store = new MemoryStore();
    const record = (id: string, userId: string, sealed: string): CredentialRecord => ({
      id,
      userId,
      kind: 'totp',
      label: 'Phone',
      otp: { secretCiphertext: sealed, algorithm: 'SHA1', digits: 6, period: 30 },
      createdAt: 0,
    });
    const victimSecret = box.seal(secret(), { userId: 'victim', credentialId: 'cred-v' });
    await store.addCredential(record('cred-v', 'victim', victimSecret));
    await store.addCredential(record('cred-a', 'attacker', victimSecret));
    await store.addCredential(record('cred-v2', 'victim', victimSecret));
    for (const [userId, credentialId] of [
      ['attacker', 'cred-a'],
      ['victim', 'cred-v2'],
    ] as const) {
      const copied = (await store.getCredential(userId, credentialId))?.otp?.secretCiphertext ?? '';
      expect(codeOf(() => box.open(copied, { userId, credentialId }))).toBe('decrypt_failed');
    }
  });

  it('a change to any byte of nonce, ciphertext or tag fails to decrypt', () => {
    const box = new SecretBox({ keys: { k1: key() }, currentKeyId: 'k1' });
    const sealed = box.seal(secret(), binding);
    const payload = decodePayload(sealed);
    for (let i = 0; i < payload.length; i++) {
      for (const flip of [0x01, 0x80]) {
        const tampered = Uint8Array.from(payload);
        tampered[i] = (tampered[i] ?? 0) ^ flip;
        expect(
          codeOf(() => box.open(reencode(sealed, tampered), binding)),
          `byte ${i} ^ ${flip}`,
        ).toBe('decrypt_failed');
      }
    }
    expect(codeOf(() => box.open(reencode(sealed, payload.subarray(0, payload.length - 1)), binding))).toBe(
      'decrypt_failed',
    );
  });

  it('the key id is bound too: relabelled under another key of the ring it fails; under an unknown id it is unknown_key', () => {
    const box = new SecretBox({ keys: { k1: key(), k2: key() }, currentKeyId: 'k1' });
    const sealed = box.seal(secret(), binding);
    expect(codeOf(() => box.open(sealed.replace('sf1.k1.', 'sf1.k2.'), binding))).toBe('decrypt_failed');
    expect(codeOf(() => box.open(sealed.replace('sf1.k1.', 'sf1.k9.'), binding))).toBe('unknown_key');
    const sameIdOtherKey = new SecretBox({ keys: { k1: key() }, currentKeyId: 'k1' });
    expect(codeOf(() => sameIdOtherKey.open(sealed, binding))).toBe('decrypt_failed');
  });

  it('J3: errors carry no secret material', () => {
    const box = new SecretBox({ keys: { k1: key() }, currentKeyId: 'k1' });
    const plaintext = secret();
    const sealed = box.seal(plaintext, binding);
    let error: unknown;
    try {
      box.open(sealed, { ...binding, userId: 'other' });
    } catch (caught) {
      error = caught;
    }
    const text = `${(error as Error).message} ${(error as Error).stack} ${String((error as Error).cause)} ${JSON.stringify(error)}`;
    for (const spelling of [hex(plaintext), base32Encode(plaintext), sealed, sealed.split('.')[2] ?? '']) {
      expect(text).not.toContain(spelling);
    }
  });

  it('rejects malformed ciphertexts as invalid_argument', () => {
    const box = new SecretBox({ keys: { k1: key() }, currentKeyId: 'k1' });
    const good = box.seal(secret(), binding);
    const body = good.split('.')[2] ?? '';
    for (const bad of [
      '',
      'JBSWY3DPEHPK3PXP',
      `sf2.k1.${body}`,
      `sf1.k1`,
      `sf1..${body}`,
      `sf1.k1.${body}.extra`,
      `sf1.k1.${body.slice(0, -1)}!`,
      `sf1.k1.${body.slice(0, 20)}`,
      42,
    ]) {
      expect(
        codeOf(() => box.open(bad as string, binding)),
        String(bad),
      ).toBe('invalid_argument');
    }
  });

  it('rejects plaintexts outside 16 to 256 bytes and bad bindings', () => {
    const box = new SecretBox({ keys: { k1: key() }, currentKeyId: 'k1' });
    for (const bad of [
      secret(15),
      secret(257),
      new Uint8Array(0),
      'JBSWY3DPEHPK3PXP',
      Array.from(secret()),
    ]) {
      expect(codeOf(() => box.seal(bad as Uint8Array, binding))).toBe('invalid_argument');
    }
    for (const bad of [
      { userId: '', credentialId: 'c' },
      { userId: 'u' },
      null,
      { userId: 'u', credentialId: 'x'.repeat(256) },
    ]) {
      expect(codeOf(() => box.seal(secret(), bad as typeof binding))).toBe('invalid_argument');
    }
  });
});

describe('SecretBox key ring', () => {
  it('rejects keys that are not exactly 32 bytes, bad key ids and a current key outside the ring', () => {
    const cases: unknown[] = [
      { keys: { k1: new Uint8Array(16) }, currentKeyId: 'k1' },
      { keys: { k1: new Uint8Array(31) }, currentKeyId: 'k1' },
      { keys: { k1: new Uint8Array(33) }, currentKeyId: 'k1' },
      { keys: { k1: Array.from(key()) }, currentKeyId: 'k1' },
      { keys: { k1: 'a'.repeat(32) }, currentKeyId: 'k1' },
      { keys: { 'k.1': key() }, currentKeyId: 'k.1' },
      { keys: { '': key() }, currentKeyId: '' },
      { keys: { ['k'.repeat(65)]: key() }, currentKeyId: 'k'.repeat(65) },
      { keys: { kü: key() }, currentKeyId: 'kü' },
      { keys: { k1: key() }, currentKeyId: 'k2' },
      { keys: {}, currentKeyId: 'k1' },
      { keys: null, currentKeyId: 'k1' },
      null,
    ];
    for (const options of cases) {
      expect(codeOf(() => new SecretBox(options as ConstructorParameters<typeof SecretBox>[0]))).toBe(
        'invalid_argument',
      );
    }
    expect(
      codeOf(
        () => new SecretBox({ keys: { ['k'.repeat(64)]: key(), 'A_z-9': key() }, currentKeyId: 'A_z-9' }),
      ),
    ).toBeUndefined();
  });

  it('copies the keys: wiping the caller’s array afterwards does not change the ring', () => {
    const raw = key();
    const box = new SecretBox({ keys: { k1: raw }, currentKeyId: 'k1' });
    const plaintext = secret();
    const sealed = box.seal(plaintext, binding);
    raw.fill(0);
    expect(box.open(sealed, binding)).toEqual(plaintext);
  });

  it('rotation re-seals under the current key; old keys still open until removed from the ring', () => {
    const [k1, k2] = [key(), key()];
    const old = new SecretBox({ keys: { k1 }, currentKeyId: 'k1' });
    const plaintext = secret();
    const sealed = old.seal(plaintext, binding);
    const both = new SecretBox({ keys: { k1, k2 }, currentKeyId: 'k2' });
    expect(both.needsRotation(sealed)).toBe(true);
    expect(both.open(sealed, binding)).toEqual(plaintext);
    const rotated = both.rotate(sealed, binding);
    expect(both.keyIdOf(rotated)).toBe('k2');
    expect(both.needsRotation(rotated)).toBe(false);
    expect(both.rotate(rotated, binding)).toBe(rotated);
    const onlyNew = new SecretBox({ keys: { k2 }, currentKeyId: 'k2' });
    expect(onlyNew.open(rotated, binding)).toEqual(plaintext);
    expect(codeOf(() => onlyNew.open(sealed, binding))).toBe('unknown_key');
    expect(codeOf(() => both.rotate(sealed, { ...binding, credentialId: 'other' }))).toBe('decrypt_failed');
  });
});
