/**
 * Every event, audit record, error and return value of a whole story, captured and searched for the
 * secret in every spelling, each code typed, each backup code and its digest, the sealed secret and the
 * pending-login ids (checklist B8, B9, F5, J1, J3), through login, enrollment, settings, administration
 * and backup-code regeneration. The enrollment-start response (the secret's one outing) and the backup
 * codes of the confirmation and of the regeneration (their one outing) are left out, as the rules allow.
 */
import { createBackupCodeHasher, normalizeBackupCode } from '@secondfactor/backup-codes';
import { base32Decode, base32Encode, isSecondFactorError } from '@secondfactor/core';
import { selfService } from '@secondfactor/policy';
import { describe, expect, it } from 'vitest';
import {
  appCode,
  asActor,
  backupCodeKey,
  freshActor,
  harness,
  newUser,
  otherCode,
  STEP_MS,
} from './fixtures';

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

describe('events and outputs carry no secret (J1, J3, B8, F5)', () => {
  it('a whole story: enroll, wrong and right codes, a backup code, a lockout', async () => {
    const h = await harness();
    const user = newUser();
    const actor = asActor(user);
    const outputs: unknown[] = [];
    const secrets: string[] = [];
    const capture = async <T>(call: Promise<T>): Promise<T | undefined> => {
      try {
        const value = await call;
        outputs.push(value ?? { resolved: 'void' });
        return value;
      } catch (error) {
        expect(isSecondFactorError(error)).toBe(true);
        const e = error as Error & { toJSON(): unknown };
        outputs.push({ message: e.message, json: e.toJSON(), stack: e.stack, cause: String(e.cause) });
        return undefined;
      }
    };
    const typed = (code: string): string => {
      secrets.push(code);
      return code;
    };

    await capture(h.twoFactor.startLogin(user));
    const setup = await h.twoFactor.beginEnrollment(actor, { method: 'totp' }); // not captured: B8's exception
    const key = setup.manualKey.replaceAll(' ', '');
    secrets.push(key, key.toLowerCase(), setup.manualKey, setup.uri, hex(base32Decode(key)));
    const pending = await h.store.getPendingEnrollment(user.id, setup.enrollmentId, { now: h.clock() });
    secrets.push(pending?.otp?.secretCiphertext ?? 'missing');

    const confirmCode = appCode(setup.manualKey, h.clock());
    await capture(
      h.twoFactor.confirmEnrollment(actor, {
        enrollmentId: setup.enrollmentId,
        code: typed(otherCode(confirmCode)),
      }),
    );
    const confirmed = await h.twoFactor.confirmEnrollment(actor, {
      enrollmentId: setup.enrollmentId,
      code: typed(confirmCode),
    });
    const backupCodes = confirmed.backupCodes ?? [];
    outputs.push({ ...confirmed, backupCodes: null }); // F5: the codes' one outing is left out
    const digestHasher = createBackupCodeHasher({ key: backupCodeKey });
    for (const code of backupCodes) {
      const canonical = normalizeBackupCode(code) ?? code;
      secrets.push(code, canonical, await digestHasher.digest(user.id, canonical, undefined));
    }

    h.clock.advance(STEP_MS);
    const loginIds: string[] = [];
    const login = async () => {
      const start = await capture(h.twoFactor.startLogin(user));
      loginIds.push(start?.loginId ?? '');
      return start?.loginId ?? '';
    };
    const code = appCode(setup.manualKey, h.clock());
    let loginId = await login();
    await capture(h.twoFactor.verifyLogin({ loginId, method: 'totp', code: typed(otherCode(code)) }));
    await capture(h.twoFactor.verifyLogin({ loginId, method: 'totp', code: typed(code) }));
    await capture(h.twoFactor.verifyLogin({ loginId, method: 'totp', code }));
    loginId = await login();
    await capture(h.twoFactor.verifyLogin({ loginId, method: 'backup_code', code: backupCodes[0] ?? '' }));
    loginId = await login();
    for (let i = 0; i < 6; i++) {
      await capture(
        h.twoFactor.verifyLogin({ loginId: await login(), method: 'totp', code: typed(otherCode(code)) }),
      );
    }
    await capture(h.twoFactor.verifyLogin({ loginId, method: 'sms', code: '123456' }));

    // Settings, backup codes and administration, allowed and refused.
    const fresh = {
      ...actor,
      reauthenticatedAt: h.clock(),
      secondFactor: { at: h.clock(), method: 'totp' as const },
    };
    const admin = { id: 'root', roles: ['admin'], reauthenticatedAt: h.clock(), secondFactor: null };
    await capture(h.twoFactor.acknowledgeBackupCodes(actor));
    await capture(h.twoFactor.regenerateBackupCodes(actor));
    const regenerated = await h.twoFactor.regenerateBackupCodes(fresh);
    outputs.push({ ...regenerated, codes: null }); // F5: the new codes' one outing is left out
    for (const code of regenerated.codes) {
      const canonical = normalizeBackupCode(code) ?? code;
      secrets.push(code, canonical, await digestHasher.digest(user.id, canonical, undefined));
    }
    await capture(h.twoFactor.acknowledgeBackupCodes(actor));
    await capture(h.twoFactor.status(actor, user));
    await capture(h.twoFactor.listDevices(admin, user));
    await capture(h.twoFactor.listStatus(admin, [user, newUser()]));
    await capture(h.twoFactor.listStatus(actor, [newUser()]));
    await capture(h.twoFactor.setMayToggle(admin, user, true));
    await capture(h.twoFactor.skipSetup(actor));
    await capture(h.twoFactor.resetOwn(fresh));
    await capture(h.twoFactor.reset(admin, user));
    await capture(h.twoFactor.removeDevice(actor, { deviceId: confirmed.credentialId }));
    await capture(h.twoFactor.removeDevice(fresh, { deviceId: 'no-such-device' }));
    await capture(h.twoFactor.removeDevice(fresh, { deviceId: confirmed.credentialId }));
    await capture(h.twoFactor.setUseTwoFactor(actor, user, true));
    await capture(h.twoFactor.setUseTwoFactor(admin, user, false));
    const types = new Set(h.events.map((event) => event.type));
    for (const type of ['backup_codes.acknowledged', 'backup_codes.regenerated', 'device.removed']) {
      expect(types, type).toContain(type);
    }

    const audit = await h.store.listAudit({ userId: user.id, limit: 1000 });
    expect(h.events.length).toBeGreaterThan(10);
    expect(audit).toHaveLength(h.events.length);
    const text = JSON.stringify({ outputs, events: h.events, audit });
    // The ids of pending logins appear in startLogin's answers only, never in events or errors.
    const eventText = JSON.stringify({
      events: h.events,
      audit,
      errors: outputs.filter((o) => 'message' in (o as object)),
    });
    // Control: the search finds these spellings where they are allowed to be.
    expect(JSON.stringify(setup)).toContain(key);
    expect(JSON.stringify(confirmed)).toContain(backupCodes[0]);
    expect(JSON.stringify(regenerated)).toContain(regenerated.codes[0]);
    expect(secrets.length).toBeGreaterThan(30);
    for (const secret of secrets) expect(text, 'a secret leaked').not.toContain(secret);
    for (const id of loginIds) expect(eventText, 'a login id leaked').not.toContain(id.split('.')[0]);
  });

  it('a first-login set-up, a remembered browser, an imported secret, a rename and the history', async () => {
    const h = await harness({ policy: { ...selfService, sessions: { rememberDeviceDays: 30 } } });
    const user = newUser();
    const outputs: unknown[] = [];
    const secrets: string[] = [];
    const keep = async <T>(call: Promise<T>): Promise<T> => {
      const value = await call;
      outputs.push(value ?? { resolved: 'void' });
      return value;
    };

    // The set-up (its secret's one outing is the start, left out); with a pending login, it completes it.
    const start = await keep(h.twoFactor.startLogin(user));
    const setup = await h.twoFactor.beginEnrollment(freshActor(user, h.clock(), null), { method: 'totp' });
    const key = setup.manualKey.replaceAll(' ', '');
    secrets.push(key, setup.uri, hex(base32Decode(key)));
    const confirmCode = appCode(setup.manualKey, h.clock());
    secrets.push(confirmCode);
    const confirmed = await h.twoFactor.confirmEnrollment(freshActor(user, h.clock(), null), {
      enrollmentId: setup.enrollmentId,
      code: confirmCode,
      ...(start.loginId === null ? {} : { loginId: start.loginId }),
    });
    outputs.push({ ...confirmed, backupCodes: null });

    // A later login that remembers the browser: the token's one outing is verifyLogin's answer.
    h.clock.advance(STEP_MS);
    const later = await keep(h.twoFactor.startLogin(user));
    const code = appCode(setup.manualKey, h.clock());
    secrets.push(code);
    const proof = await h.twoFactor.verifyLogin({
      loginId: later.loginId ?? '',
      method: 'totp',
      code,
      rememberDevice: true,
    });
    const token = proof.trustedDeviceToken ?? 'missing';
    secrets.push(token);
    outputs.push({ ...proof, trustedDeviceToken: null });
    await keep(h.twoFactor.startLogin(user, { trustedDeviceToken: token }));

    // An imported secret (otplib's base32), a rename, and the history an admin reads.
    const imported = crypto.getRandomValues(new Uint8Array(20));
    const importedKey = base32Encode(imported);
    secrets.push(importedKey, hex(imported));
    const actor = freshActor(user, h.clock());
    await keep(h.twoFactor.importCredential(actor, { method: 'totp', secret: importedKey }));
    await keep(h.twoFactor.renameDevice(actor, { deviceId: confirmed.credentialId, label: 'Work phone' }));
    await keep(h.twoFactor.history(actor, user));
    const sealed = (await h.store.listCredentials(user.id)).map(
      (credential) => credential.otp?.secretCiphertext,
    );
    secrets.push(...sealed.map(String));

    const audit = await h.store.listAudit({ userId: user.id, limit: 1000 });
    const types = new Set(h.events.map((event) => event.type));
    for (const type of ['trusted_device.added', 'credential.imported', 'device.renamed', 'login.succeeded']) {
      expect(types, type).toContain(type);
    }
    expect(JSON.stringify(proof)).toContain(token); // control: the search finds the token where it may be
    const text = JSON.stringify({ outputs, events: h.events, audit });
    for (const secret of secrets) expect(text, 'a secret leaked').not.toContain(secret);
  });
});
