/**
 * Verified and switched on are two states of an e-mail, SMS, voice or Telegram device:
 * `switchOffDevice` keeps it verified and listed but no login uses it ("Disable" next to a method; a
 * Telegram chat stays linked), `switchOnDevice` makes it a second factor again without a new code. Each
 * asks the policy the question of the change it amounts to: removing a device, adding a method.
 */
import { exclusiveMethod, type PolicyConfig } from '@secondfactor/policy';
import { afterEach, describe, expect, it } from 'vitest';
import { appCode, asActor, codeSent, freshActor, newUser, rejection } from './fixtures';
import { afterCooldown, emailCode, oobHarness, smsCode, withCodes, withEmail } from './oob-helpers';
import { approvalIn, linkChat, type PushHarness, pushHarness, signedIn } from './push-helpers';

/** A verified SMS number beside the user's e-mail address. */
async function withNumber(h: ReturnType<typeof oobHarness>, user: { id: string; roles: string[] }) {
  const number = '+4915100000060';
  const actor = freshActor(user, h.clock(), 'email');
  const added = await codeSent(h.twoFactor.addAddress(actor, { method: 'sms', address: number }));
  const { credentialId } = await h.twoFactor.verifyAddress(actor, {
    enrollmentId: added.enrollmentId,
    code: smsCode(h, number),
  });
  afterCooldown(h);
  return { number, credentialId };
}

describe('switching a device off and on', () => {
  it('a number switched off stays listed and verified, and no login offers it; switched on, it is offered again without a code', async () => {
    const h = oobHarness({ policy: withCodes });
    const { user } = await withEmail(h);
    const { number, credentialId } = await withNumber(h, user);
    const sent = h.sms.messages.length;

    await h.twoFactor.switchOffDevice(freshActor(user, h.clock(), 'email'), { deviceId: credentialId });
    const devices = await h.twoFactor.listDevices(asActor(user), user);
    expect(devices.map((d) => [d.method, d.switchedOff])).toEqual([
      ['email', false],
      ['sms', true],
    ]);
    expect((await h.twoFactor.status(asActor(user), user)).methods).toEqual(['email']);
    const start = await h.twoFactor.startLogin(user);
    expect(start.methods).toEqual(['email']);
    expect(start.devices.map((device) => device.id)).not.toContain(credentialId);
    // The login cannot be made to send a code to it by naming it.
    const named = await rejection(
      h.twoFactor.sendLoginCode({ loginId: start.loginId ?? '', method: 'sms', deviceId: credentialId }),
    );
    expect(named.code).toBe('method_not_allowed');
    expect(h.sms.messages.length).toBe(sent);

    await h.twoFactor.switchOnDevice(freshActor(user, h.clock(), 'email'), { deviceId: credentialId });
    const again = await h.twoFactor.startLogin(user);
    expect(again.methods).toEqual(expect.arrayContaining(['email', 'sms']));
    await h.twoFactor.sendLoginCode({ loginId: again.loginId ?? '', method: 'sms' });
    expect(
      await h.twoFactor.verifyLogin({
        loginId: again.loginId ?? '',
        method: 'sms',
        code: smsCode(h, number),
      }),
    ).toMatchObject({ method: 'sms' });
    expect(h.events.map((event) => event.type)).toEqual(
      expect.arrayContaining(['device.switched_off', 'device.switched_on']),
    );
  });

  it('switching off the last device switched on turns 2FA off; the address stays, verified, to switch on again', async () => {
    const h = oobHarness({ policy: withCodes });
    const { user, deviceId } = await withEmail(h);
    await h.twoFactor.switchOffDevice(freshActor(user, h.clock(), 'email'), { deviceId });
    const status = await h.twoFactor.status(asActor(user), user);
    expect(status).toMatchObject({ hasTwoFactor: false, methods: [], useTwoFactor: false });
    expect(status.devices).toMatchObject([{ id: deviceId, switchedOff: true }]);
    expect((await h.twoFactor.startLogin(user)).state).toBe('done');
    expect(h.events.find((event) => event.type === 'device.switched_off')?.data).toMatchObject({
      lastDevice: true,
    });
    await h.twoFactor.switchOnDevice(freshActor(user, h.clock(), null), { deviceId });
    expect((await h.twoFactor.startLogin(user)).state).toBe('challenge');
  });

  it('H5: switching off asks what removing asks: the last device needs a recent second factor', async () => {
    const h = oobHarness({ policy: withCodes });
    const { user, deviceId } = await withEmail(h);
    const error = await rejection(h.twoFactor.switchOffDevice(asActor(user), { deviceId }));
    expect(error.code).toBe('policy_denied');
    expect((await h.twoFactor.status(asActor(user), user)).hasTwoFactor).toBe(true);
  });

  it('an authenticator app is removed, not switched off; a device switched on already is not switched on again', async () => {
    const h = oobHarness({ policy: withCodes });
    const { user, deviceId } = await withEmail(h);
    const actor = freshActor(user, h.clock(), 'email');
    const { enrollmentId, manualKey } = await h.twoFactor.beginEnrollment(actor, { method: 'totp' });
    const app = await h.twoFactor.confirmEnrollment(actor, {
      enrollmentId,
      code: appCode(manualKey, h.clock()),
    });
    const refused = await rejection(h.twoFactor.switchOffDevice(actor, { deviceId: app.credentialId }));
    expect(refused.code).toBe('invalid_argument');
    const on = await rejection(h.twoFactor.switchOnDevice(actor, { deviceId }));
    expect(on.code).toBe('invalid_argument');
  });

  it("H3: another user's device is not found", async () => {
    const h = oobHarness({ policy: withCodes });
    const { deviceId } = await withEmail(h);
    const { user: other } = await withEmail(h, newUser());
    const actor = freshActor(other, h.clock(), 'email');
    expect((await rejection(h.twoFactor.switchOffDevice(actor, { deviceId }))).detail?.reason).toBe(
      'device_not_found',
    );
    expect((await rejection(h.twoFactor.switchOnDevice(actor, { deviceId }))).detail?.reason).toBe(
      'device_not_found',
    );
  });

  it('I5: switching a device on signs the other sessions out where the policy says so and issues the first backup codes', async () => {
    const policy: PolicyConfig = {
      ...withCodes,
      name: 'withCodesRevoking',
      sessions: { revokeOthersOnEnable: true },
    };
    const h = oobHarness({ policy });
    const user = newUser();
    const address = `${user.id}@example.com`;
    const added = await codeSent(h.twoFactor.addAddress(asActor(user), { method: 'email', address }));
    const { credentialId, backupCodes } = await h.twoFactor.verifyAddress(asActor(user), {
      enrollmentId: added.enrollmentId,
      code: emailCode(h, address),
    });
    expect(backupCodes).toHaveLength(10);
    // Off (the last device: the backup codes stay with the user), then on again.
    await h.twoFactor.switchOffDevice(freshActor(user, h.clock(), 'email'), { deviceId: credentialId });
    const epoch = await h.store.getSessionEpoch(user.id);
    const on = await h.twoFactor.switchOnDevice(asActor(user), { deviceId: credentialId, sessionId: 's-1' });
    expect(on.sessionEpoch).toBeGreaterThan(epoch);
    expect(await h.twoFactor.isSessionCurrent(user.id, epoch)).toBe(false);
    // The user kept his set: a first set is issued only to a user without one.
    expect(on.backupCodes).toBeNull();
  });

  it('one method at a time (exclusiveMethod): a number is not switched on while the app is active', async () => {
    const tenant = 'acme';
    const h = oobHarness({ policy: exclusiveMethod, channels: ['sms'] });
    const user = { ...newUser(), tenantId: tenant };
    const number = '+4915100000061';
    const added = await codeSent(h.twoFactor.addAddress(asActor(user), { method: 'sms', address: number }));
    const { credentialId } = await h.twoFactor.verifyAddress(asActor(user), {
      enrollmentId: added.enrollmentId,
      code: smsCode(h, number),
    });
    const session = freshActor(user, h.clock(), 'sms');
    await h.twoFactor.switchOffDevice(session, { deviceId: credentialId });
    const { enrollmentId, manualKey } = await h.twoFactor.beginEnrollment(session, { method: 'totp' });
    await h.twoFactor.confirmEnrollment(session, { enrollmentId, code: appCode(manualKey, h.clock()) });
    const refused = await rejection(
      h.twoFactor.switchOnDevice(freshActor(user, h.clock(), 'totp'), { deviceId: credentialId }),
    );
    expect(refused.code).toBe('policy_denied');
    expect(refused.detail?.reason).toBe('exclusive_method_active');
  });
});

describe('a Telegram chat switched off', () => {
  let h: PushHarness;
  afterEach(() => h.close());

  it('stays linked: no approval goes to it; switched on, it gets them again', async () => {
    h = await pushHarness();
    const user = newUser();
    await linkChat(h, user, 42_000_001);
    await linkChat(h, user, 42_000_002);
    const devices = await h.twoFactor.listDevices(await signedIn(h, user), user);
    const first = devices.find((device) => device.hint === 'chat ***01');
    if (first === undefined) throw new Error('no device');
    await h.twoFactor.switchOffDevice(await signedIn(h, user), { deviceId: first.id });

    const start = await h.twoFactor.startLogin(user);
    await h.push.sendLoginApproval({ loginId: start.loginId ?? '' });
    expect(() => approvalIn(h, 42_000_001)).toThrow(/no approval message/);
    expect(approvalIn(h, 42_000_002)).toBeDefined();
    const listed = await h.twoFactor.listDevices(await signedIn(h, user), user);
    expect(listed.map((device) => [device.hint, device.switchedOff]).sort()).toEqual([
      ['chat ***01', true],
      ['chat ***02', false],
    ]);

    await h.twoFactor.switchOnDevice(await signedIn(h, user), { deviceId: first.id });
    h.clock.advance(60_000); // past the wait between two approval rounds
    const next = await h.twoFactor.startLogin(user);
    await h.push.sendLoginApproval({ loginId: next.loginId ?? '' });
    expect(approvalIn(h, 42_000_001)).toBeDefined();
  });
});
