/**
 * The user's devices and his 2FA history. `renameDevice` changes a name and nothing a verification reads
 * (a used code stays used, D1), only for the owner (H3). `history` lists every change and outcome the
 * service recorded, newest first, with time and actor (H8, J2), to whoever may see the 2FA status, and
 * holds no secret, code or token (J1).
 */
import { MemoryStore } from '@secondfactor/store';
import { describe, expect, it } from 'vitest';
import {
  appCode,
  asActor,
  describeEachStore,
  enrolled,
  harness,
  otherCode,
  rejection,
  STEP_MS,
  suiteStore,
  testClock,
} from './fixtures';

/** selfService's administrator: he may see who has 2FA (`admin.viewStatus`). */
const ADMIN = { id: 'root', roles: ['admin'], reauthenticatedAt: null, secondFactor: null };

describeEachStore('devices and history', (openStore) => {
  const store = suiteStore(openStore);

  it('renameDevice: the new name shows in the list and at the login; the used step stays used (D1)', async () => {
    const h = await harness({ store: store(), clock: testClock() });
    const { user, manualKey, confirmed } = await enrolled(h);
    const deviceId = confirmed.credentialId;
    const before = await h.store.getCredential(user.id, deviceId);
    await h.twoFactor.renameDevice(asActor(user), { deviceId, label: 'Work phone' });

    expect((await h.twoFactor.listDevices(asActor(user), user)).map((d) => [d.id, d.label])).toEqual([
      [deviceId, 'Work phone'],
    ]);
    const start = await h.twoFactor.startLogin(user);
    expect(start.devices).toEqual([{ id: deviceId, method: 'totp', label: 'Work phone' }]);
    const after = await h.store.getCredential(user.id, deviceId);
    expect(after).toEqual({ ...before, label: 'Work phone' });
    // The code that confirmed the set-up is still spent.
    const replay = await rejection(
      h.twoFactor.verifyLogin({
        loginId: start.loginId ?? '',
        method: 'totp',
        code: appCode(manualKey, h.clock()),
      }),
    );
    expect(replay.code).toBe('otp_replayed');
    // The label is the user's own text: the event names the device only.
    const renamed = h.events.find((e) => e.type === 'device.renamed');
    expect(renamed).toMatchObject({ userId: user.id, actorId: user.id, data: { credentialId: deviceId } });
    expect(JSON.stringify(renamed)).not.toContain('Work phone');
  });

  it("H3: renaming another user's device answers like a missing one and changes nothing", async () => {
    const h = await harness({ store: store(), clock: testClock() });
    const ada = await enrolled(h);
    const bob = await enrolled(h);
    const deviceId = ada.confirmed.credentialId;
    for (const id of [deviceId, 'no-such-device']) {
      const error = await rejection(
        h.twoFactor.renameDevice(asActor(bob.user), { deviceId: id, label: 'Mine' }),
      );
      expect([error.code, error.detail]).toEqual(['not_found', { reason: 'device_not_found' }]);
    }
    expect((await h.store.getCredential(ada.user.id, deviceId))?.label).toBe('Authenticator app');
  });

  it('H8, J2: the history lists every change and outcome, newest first, with its time and actor', async () => {
    const h = await harness({ store: store(), clock: testClock() });
    const { user, manualKey, confirmed } = await enrolled(h);
    const enrolledAt = h.clock();
    h.clock.advance(STEP_MS);
    const loginAt = h.clock();
    const start = await h.twoFactor.startLogin(user);
    const code = appCode(manualKey, h.clock());
    const loginId = start.loginId ?? '';
    await rejection(h.twoFactor.verifyLogin({ loginId, method: 'totp', code: otherCode(code) }));
    await h.twoFactor.verifyLogin({ loginId, method: 'totp', code });
    h.clock.advance(STEP_MS);
    const renamedAt = h.clock();
    await h.twoFactor.renameDevice(asActor(user), { deviceId: confirmed.credentialId, label: 'Tablet' });

    const history = await h.twoFactor.history(asActor(user), user);
    expect(history.map((e) => [e.type, e.at])).toEqual([
      ['device.renamed', renamedAt],
      ['login.succeeded', loginAt],
      ['login.failed', loginAt],
      ['login.started', loginAt],
      ['backup_codes.issued', enrolledAt],
      ['enrollment.confirmed', enrolledAt],
      ['enrollment.started', enrolledAt],
    ]);
    expect(history.every((e) => e.userId === user.id)).toBe(true);
    expect(history.find((e) => e.type === 'enrollment.confirmed')?.actorId).toBe(user.id);
    expect(history.find((e) => e.type === 'login.failed')?.data).toMatchObject({
      method: 'totp',
      failures: 1,
    });

    expect((await h.twoFactor.history(asActor(user), user, { limit: 2 })).map((e) => e.type)).toEqual([
      'device.renamed',
      'login.succeeded',
    ]);
    expect((await h.twoFactor.history(asActor(user), user, { since: loginAt })).map((e) => e.at)).toEqual([
      renamedAt,
      loginAt,
      loginAt,
      loginAt,
    ]);
  });

  it('J1: the history holds no secret, code, backup code or remembered-browser token', async () => {
    const h = await harness({ store: store(), clock: testClock() });
    const { user, manualKey, backupCodes } = await enrolled(h);
    const start = await h.twoFactor.startLogin(user);
    await h.twoFactor.verifyLogin({
      loginId: start.loginId ?? '',
      method: 'backup_code',
      code: backupCodes[0] ?? '',
    });
    h.clock.advance(STEP_MS);
    const code = appCode(manualKey, h.clock());
    const next = await h.twoFactor.startLogin(user);
    await h.twoFactor.verifyLogin({ loginId: next.loginId ?? '', method: 'totp', code });

    const text = JSON.stringify(await h.twoFactor.history(asActor(user), user));
    for (const secret of [manualKey, manualKey.replaceAll(' ', ''), code, ...backupCodes]) {
      expect(text).not.toContain(secret);
    }
  });

  it("canViewTwoFactorStatus: selfService's admin may read a user's history, another user may not", async () => {
    const h = await harness({ store: store(), clock: testClock() });
    const ada = await enrolled(h);
    const bob = await enrolled(h);
    const seen = await h.twoFactor.history(ADMIN, ada.user);
    expect(seen.map((e) => e.type)).toContain('enrollment.confirmed');
    expect(seen.every((e) => e.userId === ada.user.id)).toBe(true);
    const denied = await rejection(h.twoFactor.history(asActor(bob.user), ada.user));
    expect([denied.code, denied.detail?.reason]).toEqual(['policy_denied', 'not_admin']);
  });
});

describe('devices and history inputs', () => {
  it('a label that is empty, blank, too long or not text, and a missing device id, are bad arguments', async () => {
    const h = await harness({ store: new MemoryStore() });
    const { user, confirmed } = await enrolled(h);
    const rename = h.twoFactor.renameDevice as (actor: unknown, input: unknown) => Promise<void>;
    const deviceId = confirmed.credentialId;
    for (const input of [
      { deviceId, label: '' },
      { deviceId, label: '   ' },
      { deviceId, label: 'x'.repeat(256) },
      { deviceId, label: 7 },
      { deviceId: '', label: 'Phone' },
      { label: 'Phone' },
      null,
    ]) {
      expect((await rejection(rename(asActor(user), input))).code).toBe('invalid_argument');
    }
    expect((await h.store.getCredential(user.id, deviceId))?.label).toBe('Authenticator app');
  });

  it('history options out of range are bad arguments', async () => {
    const h = await harness({ store: new MemoryStore() });
    const { user } = await enrolled(h);
    const read = h.twoFactor.history as (
      actor: unknown,
      subject: unknown,
      options: unknown,
    ) => Promise<unknown>;
    for (const options of [
      { limit: 0 },
      { limit: 1001 },
      { limit: 1.5 },
      { since: -1 },
      { since: 'today' },
      'all',
    ]) {
      expect((await rejection(read(asActor(user), user, options))).code).toBe('invalid_argument');
    }
  });
});
