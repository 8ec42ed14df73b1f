/**
 * selfService: backup codes after the first set ("I confirm that the codes are saved", new codes with a
 * current app code, F6, the printable file), and the administrator's side (switching 2FA off for a user,
 * the user table's 2FA column).
 */
import { describe, expect, it } from 'vitest';
import {
  appCode,
  asActor,
  enrolled,
  harness,
  newUser,
  rejection,
  STEP_MS,
  STORES,
  testClock,
} from './fixtures';

const ADMIN = { id: 'root', roles: ['admin'] };

describe.each(STORES)('selfService backup codes and admin controls on %s', (_name, openStore) => {
  it('acknowledge, regenerate with a fresh app code (F6), the file, and the old set stops working (F4)', async () => {
    const h = await harness({ store: await openStore(), clock: testClock() });
    const { user, manualKey, backupCodes } = await enrolled(h);
    const actor = asActor(user);
    expect((await h.twoFactor.status(actor, user)).backupCodesAcknowledged).toBe(false);
    await h.twoFactor.acknowledgeBackupCodes(actor);
    expect(await h.twoFactor.status(actor, user)).toMatchObject({
      backupCodesAcknowledged: true,
      backupCodesRemaining: 10,
    });
    expect(h.events.at(-1)).toMatchObject({ type: 'backup_codes.acknowledged', data: { remaining: 10 } });

    // A backup code is a fallback: it does not prove enough for new codes (F6, primary factor only).
    h.clock.advance(STEP_MS);
    const byBackup = await rejection(
      h.twoFactor.regenerateBackupCodes({ ...actor, secondFactor: { at: h.clock(), method: 'backup_code' } }),
    );
    expect([byBackup.code, byBackup.detail?.reason]).toEqual(['policy_denied', 'fresh_auth_required']);
    expect(byBackup.detail?.policyDetail).toMatchObject({ primaryFactor: true });
    const noProof = await rejection(h.twoFactor.regenerateBackupCodes(actor));
    expect(noProof.detail?.reason).toBe('fresh_auth_required');

    const login = await h.twoFactor.startLogin(user);
    const proof = await h.twoFactor.verifyLogin({
      loginId: login.loginId ?? '',
      method: 'totp',
      code: appCode(manualKey, h.clock()),
    });
    const fresh = await h.twoFactor.regenerateBackupCodes({
      ...actor,
      secondFactor: { at: proof.at, method: proof.method },
    });
    expect(fresh.codes).toHaveLength(10);
    expect(fresh.backupCodesAcknowledgementRequired).toBe(true);
    expect(h.events.at(-1)).toMatchObject({ type: 'backup_codes.regenerated', data: { count: 10 } });
    // The acknowledgement was for the old set.
    expect((await h.twoFactor.status(actor, user)).backupCodesAcknowledged).toBe(false);

    const old = await h.twoFactor.startLogin(user);
    const refused = await rejection(
      h.twoFactor.verifyLogin({
        loginId: old.loginId ?? '',
        method: 'backup_code',
        code: backupCodes[0] ?? '',
      }),
    );
    expect(refused.code).toBe('otp_invalid');

    const file = h.twoFactor.backupCodesFile({
      codes: fresh.codes,
      account: 'ada@example.org',
      createdAt: fresh.createdAt,
    });
    expect(file.fileName).toBe('example-backup-codes.txt');
    expect(file.text.split('\n')[0]).toBe('Example backup codes for ada@example.org');
    for (const code of fresh.codes) expect(file.text).toContain(code);
  });

  it('an admin switches 2FA off for a user; the user table lists everyone, with or without 2FA', async () => {
    const h = await harness({ store: await openStore(), clock: testClock() });
    const { user } = await enrolled(h);
    const stranger = newUser();
    const admin = { ...ADMIN, reauthenticatedAt: h.clock(), secondFactor: null };

    const rows = await h.twoFactor.listStatus(admin, [user, stranger]);
    expect(rows).toEqual([
      {
        userId: user.id,
        hasTwoFactor: true,
        methods: ['totp'],
        devices: 1,
        backupCodesRemaining: 10,
        useTwoFactor: null,
        mayToggle: null,
      },
      {
        userId: stranger.id,
        hasTwoFactor: false,
        methods: [],
        devices: 0,
        backupCodesRemaining: 0,
        useTwoFactor: null,
        mayToggle: null,
      },
    ]);
    const peer = await rejection(h.twoFactor.listStatus(asActor(stranger), [stranger, user]));
    expect([peer.code, peer.detail?.reason, peer.detail?.subjectId]).toEqual([
      'policy_denied',
      'not_admin',
      user.id,
    ]);

    const byPeer = await rejection(h.twoFactor.setUseTwoFactor(asActor(stranger), user, false));
    expect([byPeer.code, byPeer.detail?.reason]).toEqual(['policy_denied', 'not_admin']);
    const enable = await rejection(h.twoFactor.setUseTwoFactor(admin, user, true));
    expect(enable.detail?.reason).toBe('action_not_offered');

    await h.twoFactor.setUseTwoFactor(admin, user, false);
    expect(await h.twoFactor.status(admin, user)).toMatchObject({
      hasTwoFactor: false,
      backupCodesRemaining: 0,
      useTwoFactor: false,
    });
    expect((await h.twoFactor.startLogin(user)).state).toBe('done');
    const event = h.events.find((e) => e.type === 'settings.use_two_factor_changed');
    expect(event).toMatchObject({
      userId: user.id,
      actorId: ADMIN.id,
      data: { value: false, removedDevices: 1, removedBackupCodes: 10 },
    });
  });
});

describe('selfService backup codes: refusals', () => {
  it('acknowledging without a set, regenerating without 2FA, a bad file request', async () => {
    const h = await harness();
    const user = newUser();
    const ack = await rejection(h.twoFactor.acknowledgeBackupCodes(asActor(user)));
    expect([ack.code, ack.detail?.reason]).toEqual(['not_enrolled', 'no_backup_codes']);
    const regen = await rejection(
      h.twoFactor.regenerateBackupCodes({
        ...asActor(user),
        secondFactor: { at: h.clock(), method: 'totp' },
      }),
    );
    expect([regen.code, regen.detail?.reason]).toEqual(['policy_denied', 'not_enrolled']);
    expect(() => h.twoFactor.backupCodesFile({ codes: [], account: 'a', createdAt: h.clock() })).toThrow(
      /codes must be/,
    );
    const many = await rejection(
      h.twoFactor.listStatus(
        asActor(user),
        Array.from({ length: 1001 }, () => user),
      ),
    );
    expect(many.code).toBe('invalid_argument');
    expect(await h.twoFactor.listStatus(asActor(user), [])).toEqual([]);
  });
});
