import { hotp, verifyHotp } from '@secondfactor/core';
import { type CredentialRecord, MemoryStore, SecretBox } from '@secondfactor/store';
import { describe, expect, it } from 'vitest';

const secret = new TextEncoder().encode('12345678901234567890');
const box = new SecretBox({ keys: { k1: crypto.getRandomValues(new Uint8Array(32)) }, currentKeyId: 'k1' });
const binding = { userId: 'user-1', credentialId: 'hotp-1' };

describe('HOTP through the store: core and the store share one lastUsedStep protocol', () => {
  it('a code is accepted once, the next code works, a replay is refused', async () => {
    const store = new MemoryStore();
    const credential: CredentialRecord = {
      id: 'hotp-1',
      userId: 'user-1',
      kind: 'hotp',
      label: 'Token',
      otp: { secretCiphertext: box.seal(secret, binding), algorithm: 'SHA1', digits: 6 },
      createdAt: 0,
    };
    await store.addCredential(credential);

    // One login: read the credential, verify against its lastUsedStep, record the counter matched.
    const login = async (code: string): Promise<boolean> => {
      const stored = await store.getCredential('user-1', 'hotp-1');
      if (stored?.otp === undefined) throw new Error('credential missing');
      const key = box.open(stored.otp.secretCiphertext, binding);
      const result = verifyHotp(key, code, { lastUsedStep: stored.lastUsedStep });
      if (!result.valid) return false;
      return store.recordOtpUse('user-1', 'hotp-1', { step: result.counter, now: 1 });
    };

    expect((await store.getCredential('user-1', 'hotp-1'))?.lastUsedStep).toBeUndefined();
    // The token's first code (counter 0) works, and the store keeps the matched counter.
    expect(await login(hotp(secret, 0))).toBe(true);
    expect((await store.getCredential('user-1', 'hotp-1'))?.lastUsedStep).toBe(0);
    // The same code again is refused.
    expect(await login(hotp(secret, 0))).toBe(false);
    // The next code works (a store that kept `counter + 1` would refuse it: counter 1 ≤ the stored 1).
    expect(await login(hotp(secret, 1))).toBe(true);
    expect((await store.getCredential('user-1', 'hotp-1'))?.lastUsedStep).toBe(1);
    // Replays of both earlier codes are refused; a skipped press inside the look-ahead still works.
    expect(await login(hotp(secret, 1))).toBe(false);
    expect(await login(hotp(secret, 0))).toBe(false);
    expect(await login(hotp(secret, 3))).toBe(true);
    expect(await login(hotp(secret, 2))).toBe(false);
    expect((await store.getCredential('user-1', 'hotp-1'))?.lastUsedStep).toBe(3);
  });
});
