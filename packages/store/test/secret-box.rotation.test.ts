import { base32Encode } from '@secondfactor/core';
import { MemoryStore, rotateStoreSecrets, type SecondFactorStore, SecretBox } from '@secondfactor/store';
import { describe, expect, it } from 'vitest';

const key = (): Uint8Array => crypto.getRandomValues(new Uint8Array(32));
const secret = (length = 20): Uint8Array => crypto.getRandomValues(new Uint8Array(length));
const binding = { userId: 'user-1', credentialId: 'cred-1' };
const hex = (bytes: Uint8Array): string =>
  Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');

describe('rotateStoreSecrets', () => {
  async function seeded(count: number, box: SecretBox, store: SecondFactorStore = new MemoryStore()) {
    const plaintexts = new Map<string, Uint8Array>();
    for (let i = 0; i < count; i++) {
      const id = `cred-${String(i).padStart(2, '0')}`;
      const userId = `user-${i % 3}`;
      const plaintext = secret();
      plaintexts.set(id, plaintext);
      const sealed = box.seal(plaintext, { userId, credentialId: id });
      await store.addCredential({
        id,
        userId,
        kind: 'totp',
        label: 'x',
        otp: { secretCiphertext: sealed, algorithm: 'SHA1', digits: 6, period: 30 },
        createdAt: 0,
      });
    }
    return { store, plaintexts };
  }

  it('re-seals every secret under the current key, page by page, and counts what it did', async () => {
    const [k0, k1, k2] = [key(), key(), key()];
    const { store, plaintexts } = await seeded(7, new SecretBox({ keys: { k1 }, currentKeyId: 'k1' }));
    const current = new SecretBox({ keys: { k2 }, currentKeyId: 'k2' });
    await store.addCredential({
      id: 'cred-50',
      userId: 'user-9',
      kind: 'totp',
      label: 'x',
      otp: {
        secretCiphertext: current.seal(secret(), { userId: 'user-9', credentialId: 'cred-50' }),
        algorithm: 'SHA1',
        digits: 6,
        period: 30,
      },
      createdAt: 0,
    });
    const lost = new SecretBox({ keys: { k0 }, currentKeyId: 'k0' }).seal(secret(), {
      userId: 'user-8',
      credentialId: 'cred-60',
    });
    await store.addCredential({
      id: 'cred-60',
      userId: 'user-8',
      kind: 'totp',
      label: 'x',
      otp: { secretCiphertext: lost, algorithm: 'SHA1', digits: 6, period: 30 },
      createdAt: 0,
    });
    await store.addCredential({
      id: 'cred-70',
      userId: 'user-8',
      kind: 'email',
      label: 'x',
      address: 'a@example.org',
      createdAt: 0,
    });

    const box = new SecretBox({ keys: { k1, k2 }, currentKeyId: 'k2' });
    const result = await rotateStoreSecrets(store, box, { batchSize: 2 });
    expect(result).toEqual({
      scanned: 9,
      rotated: 7,
      current: 1,
      conflicts: 0,
      failed: 1,
      failedIds: ['cred-60'],
    });
    for (const [id, plaintext] of plaintexts) {
      const credential = (await store.listOtpCredentials({ limit: 100 })).find((item) => item.id === id);
      const sealed = credential?.otp?.secretCiphertext ?? '';
      expect(current.open(sealed, { userId: credential?.userId ?? '', credentialId: id })).toEqual(plaintext);
    }
    expect(await rotateStoreSecrets(store, box)).toMatchObject({ rotated: 0, current: 8, failed: 1 });
  });

  it('never overwrites a secret changed between its read and its write (compare-and-set)', async () => {
    const [k1, k2] = [key(), key()];
    const inner = new MemoryStore();
    const { plaintexts } = await seeded(3, new SecretBox({ keys: { k1 }, currentKeyId: 'k1' }), inner);
    const box = new SecretBox({ keys: { k1, k2 }, currentKeyId: 'k2' });
    const replacement = box.seal(secret(), { userId: 'user-1', credentialId: 'cred-01' });
    // Another writer re-enrolls cred-01 right after the rotation read the page.
    const racing = new Proxy(inner, {
      get(target, name, receiver) {
        if (name !== 'listOtpCredentials') return Reflect.get(target, name, receiver);
        return async (options: { after?: string; limit: number }) => {
          const page = await target.listOtpCredentials(options);
          const expected = page.find((item) => item.id === 'cred-01')?.otp?.secretCiphertext;
          if (expected !== undefined)
            await target.replaceCredentialSecret('user-1', 'cred-01', {
              expected: expected,
              next: replacement,
            });
          return page;
        };
      },
    });
    const result = await rotateStoreSecrets(racing, box);
    expect(result).toMatchObject({ scanned: 3, rotated: 2, conflicts: 1 });
    expect((await inner.getCredential('user-1', 'cred-01'))?.otp?.secretCiphertext).toBe(replacement);
    expect(plaintexts.size).toBe(3);
  });

  it('rejects a batch size outside 1 to 1000', async () => {
    const box = new SecretBox({ keys: { k1: key() }, currentKeyId: 'k1' });
    for (const batchSize of [0, 1001, 1.5]) {
      await expect(rotateStoreSecrets(new MemoryStore(), box, { batchSize })).rejects.toMatchObject({
        code: 'invalid_argument',
      });
    }
  });
});

describe('B6: the adapter receives only ciphertext', () => {
  it('no argument of any store call, and nothing stored, contains the secret in any spelling', async () => {
    const box = new SecretBox({ keys: { k1: key() }, currentKeyId: 'k1' });
    const inner = new MemoryStore();
    const seen: string[] = [];
    const recording = new Proxy(inner, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          seen.push(JSON.stringify(args));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const plaintext = secret();
    const sealed = box.seal(plaintext, binding);
    await recording.createPendingEnrollment({
      id: 'cred-1',
      userId: 'user-1',
      kind: 'totp',
      label: 'x',
      otp: { secretCiphertext: sealed, algorithm: 'SHA1', digits: 6, period: 30 },
      createdAt: 0,
      expiresAt: 1_000,
    });
    await recording.confirmEnrollment('user-1', 'cred-1', { now: 1 });
    await rotateStoreSecrets(
      recording,
      new SecretBox({ keys: { k1: key(), k2: key() }, currentKeyId: 'k2' }),
    );
    const everything = `${seen.join('\n')}\n${inner.exportSnapshot()}`;
    expect(everything).toContain(sealed);
    for (const spelling of [
      hex(plaintext),
      hex(plaintext).toUpperCase(),
      base32Encode(plaintext),
      String.fromCharCode(...plaintext),
    ]) {
      expect(everything.includes(spelling)).toBe(false);
    }
  });
});
