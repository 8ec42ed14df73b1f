/**
 * Every event, audit record, error and return value of a whole story, captured and searched for the
 * secret in every spelling, each code typed, each backup code and its digest, the sealed secret and the
 * pending-login ids (checklist B8, B9, F5, J1, J3), through login, enrollment, settings, administration
 * and backup-code regeneration. The enrollment-start response (the secret's one outing) and the backup
 * codes of the confirmation and of the regeneration (their one outing) are left out, as the rules allow.
 */
import { createBackupCodeHasher, normalizeBackupCode } from '@secondfactor/backup-codes';
import { base32Decode, isSecondFactorError } from '@secondfactor/core';
import { describe, expect, it } from 'vitest';
import { appCode, asActor, backupCodeKey, harness, newUser, otherCode, STEP_MS } from './fixtures';

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
});
