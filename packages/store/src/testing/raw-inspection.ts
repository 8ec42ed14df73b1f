/**
 * @module
 * Conformance: what reaches the backend (checklist B6, F2, G5). A known secret is sealed with a real
 * `SecretBox`, known codes are stored as keyed digests, and the adapter's raw dump (every row, key and
 * value) must contain the ciphertext and digests but none of the plaintext spellings, also after the
 * records a login completion, a rename, a settings patch and a session epoch write.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { base32Encode } from '@secondfactor/core';
import { expect, it } from 'vitest';
import { SecretBox } from '../secret-box';
import {
  emailChallenge,
  freshId,
  loginChallenge,
  pendingTotp,
  type SuiteContext,
  totpCredential,
  trustedDevice,
} from './fixtures';

const digestKey = crypto.getRandomValues(new Uint8Array(32));
const keyedDigest = (code: string): string =>
  bytesToHex(hmac(sha256, digestKey, new TextEncoder().encode(code)));

/** Every way a secret could show up in a dump: hex (both cases), base32 (padded or not, both cases), latin1. */
function secretSpellings(secret: Uint8Array): string[] {
  const hex = bytesToHex(secret);
  const base32 = base32Encode(secret);
  return [
    hex,
    hex.toUpperCase(),
    base32,
    base32.replace(/=+$/, ''),
    base32.toLowerCase(),
    String.fromCharCode(...secret),
  ];
}

/** Codes that cannot occur by chance in timestamps or ids of a shared database. */
const randomCode = (digits: number): string => {
  let code = '';
  while (code.length < digits) code += String(crypto.getRandomValues(new Uint32Array(1))[0]! % 10);
  return code;
};

// A numeric code stored in clear would stand alone, not inside a longer run of digits (a timestamp).
const containsNumber = (dump: string, code: string): boolean =>
  new RegExp(`(?<![0-9])${code}(?![0-9])`).test(dump);

/** Registers the raw-inspection tests. */
export function rawInspectionTests(ctx: SuiteContext): void {
  it('dumpRaw shows what was stored (the positive control for the checks below)', async () => {
    const credential = totpCredential(freshId('user'), ctx.t0, { label: freshId('label') });
    await ctx.store.addCredential(credential);
    const dump = await ctx.dumpRaw();
    expect(dump).toContain(credential.id);
    expect(dump).toContain(credential.label);
    expect(dump).toContain(credential.otp?.secretCiphertext);
  });

  it('B6/F2/G5: only ciphertext and digests reach the backend, never a secret or a code in clear', async () => {
    const userId = freshId('user');
    const box = new SecretBox({
      keys: { conformance: crypto.getRandomValues(new Uint8Array(32)) },
      currentKeyId: 'conformance',
    });

    const secret = crypto.getRandomValues(new Uint8Array(20));
    const credential = totpCredential(userId, ctx.t0);
    const sealed = box.seal(secret, { userId, credentialId: credential.id });
    await ctx.store.addCredential({ ...credential, otp: { ...credential.otp!, secretCiphertext: sealed } });

    const pendingSecret = crypto.getRandomValues(new Uint8Array(32));
    const pending = pendingTotp(userId, ctx.t0);
    const pendingSealed = box.seal(pendingSecret, { userId, credentialId: pending.id });
    await ctx.store.createPendingEnrollment({
      ...pending,
      otp: { ...pending.otp!, secretCiphertext: pendingSealed },
    });

    const backupCodes = Array.from({ length: 10 }, () => `${randomCode(5)}-${randomCode(5)}`);
    await ctx.store.replaceBackupCodes(userId, { digests: backupCodes.map(keyedDigest), now: ctx.t0 });
    await ctx.store.consumeBackupCode(userId, keyedDigest(backupCodes[0]!));

    const emailCode = randomCode(8);
    const challenge = emailChallenge(userId, ctx.t0, keyedDigest(emailCode));
    await ctx.store.createChallenge(challenge);
    const resentCode = randomCode(8);
    await ctx.store.rotateChallenge(userId, challenge.id, {
      digest: keyedDigest(resentCode),
      expiresAt: ctx.t0 + 600_000,
      now: ctx.t0,
    });
    await ctx.store.consumeChallenge(userId, challenge.id, {
      digest: keyedDigest(randomCode(8)),
      now: ctx.t0,
    });

    const deviceToken = `device-token-${freshId('')}`;
    await ctx.store.addTrustedDevice(trustedDevice(userId, ctx.t0, { digest: keyedDigest(deviceToken) }));

    // The records of a completed login: a backup code used by completeLogin, an OTP step recorded by it
    // (checked against the sealed secret), a renamed credential, changed settings and a session epoch.
    const label = `Renamed ${freshId('')}`;
    await ctx.store.renameCredential(userId, credential.id, label);
    await ctx.store.updateUserSettings(
      userId,
      { useTwoFactor: true, enrollmentResetAt: ctx.t0 },
      { now: ctx.t0 },
    );
    await ctx.store.bumpSessionEpoch(userId);
    for (const factor of [
      { backupCode: { digest: keyedDigest(backupCodes[2]!) } },
      { otp: { credentialId: credential.id, step: 57_000_001, ifSecret: sealed } },
    ]) {
      const login = loginChallenge(userId, ctx.t0);
      await ctx.store.createChallenge(login);
      const done = await ctx.store.completeLogin(userId, login.id, { now: ctx.t0, ...factor });
      expect(done.status).toBe('ok');
    }

    const dump = await ctx.dumpRaw();
    // Positive control: the dump does show this user's data.
    expect(dump).toContain(sealed);
    expect(dump).toContain(pendingSealed);
    expect(dump).toContain(keyedDigest(backupCodes[1]!));
    expect(dump).toContain(keyedDigest(resentCode));
    expect(dump).toContain(label);

    for (const spelling of [...secretSpellings(secret), ...secretSpellings(pendingSecret)]) {
      expect(dump.includes(spelling), 'B6: a spelling of the TOTP secret is in the raw dump').toBe(false);
    }
    for (const code of backupCodes) {
      for (const spelling of [code, code.replace('-', ''), code.replace('-', ' ')]) {
        expect(containsNumber(dump, spelling), 'F2: a backup code is in the raw dump').toBe(false);
      }
    }
    for (const code of [emailCode, resentCode])
      expect(containsNumber(dump, code), 'G5: an e-mail code is in the raw dump').toBe(false);
    expect(dump.includes(deviceToken), 'a trusted-device token is in the raw dump').toBe(false);

    // And the sealed secret read back still opens for its own binding only (B7 through the store).
    const stored = await ctx.store.getCredential(userId, credential.id);
    expect(box.open(stored?.otp?.secretCiphertext ?? '', { userId, credentialId: credential.id })).toEqual(
      secret,
    );
  });
}
