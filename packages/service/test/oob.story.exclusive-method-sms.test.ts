/**
 * The exclusiveMethod product's "Login Via SMS": "Add Number", "Verify Number", "Send Code" at every
 * login, a wrong code ("Otp invalid!"), and one method at a time: "If you decide to change the
 * authentication method, it is necessary to deactivate the original verification method first."
 * And: "If you use a phone number that has been provided and verified by one of the existing Persons
 * associated with the account, there is no need for additional verification of this number. Once you
 * input the number, you can easily activate 2FA by clicking on the Enable authentication button."
 */
import { exclusiveMethod } from '@secondfactor/policy';
import { expect, it } from 'vitest';
import { asActor, codeSent, describeEachStore, freshActor, rejection, suiteStore } from './fixtures';
import { afterCooldown, oobHarness, smsCode, wrongCode } from './oob-helpers';

const TENANT = 'acme';
let next = 0;
const customer = () => ({ id: `sms-customer-${++next}`, roles: [] as string[], tenantId: TENANT });

describeEachStore('exclusiveMethod: Login Via SMS', (openStore) => {
  const store = suiteStore(openStore);

  it('Add Number, Verify Number, then Send Code and sign in with the SMS at every login', async () => {
    const h = oobHarness({ store: store(), policy: exclusiveMethod, channels: ['sms'] });
    const user = customer();
    const number = '+4915100000050';

    // "Add Number" sends a code; the number is no device until "Verify Number".
    const added = await codeSent(h.twoFactor.addAddress(asActor(user), { method: 'sms', address: number }));
    expect(added.channel).toBe('sms');
    expect(h.sms.last(number)?.text).toMatch(/^[0-9]{6} is your Example verification code\./);
    const verified = await h.twoFactor.verifyAddress(asActor(user), {
      enrollmentId: added.enrollmentId,
      code: smsCode(h, number),
    });
    expect(verified.method).toBe('sms');
    expect((await h.twoFactor.status(asActor(user), user)).hasTwoFactor).toBe(true);
    afterCooldown(h);

    // "Send Code" at the login; a wrong code is "Otp invalid!", the right one completes the login.
    const start = await h.twoFactor.startLogin(user);
    expect(start).toMatchObject({ state: 'challenge', methods: ['sms'] });
    expect(start.devices).toEqual([
      { id: verified.credentialId, method: 'sms', label: 'Phone', hint: '+49 *** *** **50' },
    ]);
    const loginId = start.loginId ?? '';
    await h.twoFactor.sendLoginCode({ loginId, method: 'sms' });
    const code = smsCode(h, number);
    expect(h.sms.last(number)?.text).toContain('sign-in code');
    const wrong = await rejection(h.twoFactor.verifyLogin({ loginId, method: 'sms', code: wrongCode(code) }));
    expect(wrong.message).toBe('Otp invalid!');
    const proof = await h.twoFactor.verifyLogin({ loginId, method: 'sms', code });
    expect(proof).toMatchObject({ userId: user.id, method: 'sms', fallback: false });

    // One method at a time: the app cannot be connected beside the number…
    const session = freshActor(user, h.clock(), 'sms');
    const refused = await rejection(h.twoFactor.beginEnrollment(session, { method: 'totp' }));
    expect(refused.code).toBe('policy_denied');
    expect(refused.detail?.reason).toBe('exclusive_method_active');
    // …until the number is deactivated first ("Delete number": the last factor, so password and code).
    await h.twoFactor.removeDevice(session, { deviceId: verified.credentialId });
    expect(await h.twoFactor.listDevices(session, user)).toEqual([]);
    const app = await h.twoFactor.beginEnrollment(session, { method: 'totp' });
    expect(app.enrollmentId).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('a number another person of the account verified needs no code: "Enable authentication" switches it on', async () => {
    const h = oobHarness({ store: store(), policy: exclusiveMethod, channels: ['sms'] });
    const number = '+4915100000051';
    const colleague = customer();
    const added = await codeSent(
      h.twoFactor.addAddress(asActor(colleague), { method: 'sms', address: number }),
    );
    await h.twoFactor.verifyAddress(asActor(colleague), {
      enrollmentId: added.enrollmentId,
      code: smsCode(h, number),
    });
    afterCooldown(h);
    const sent = h.sms.messages.length;

    // The same number, entered by another person of the account: no code is sent, the number is a
    // verified device, switched off until "Enable authentication".
    const user = customer();
    const trusted = await h.twoFactor.addAddress(asActor(user), { method: 'sms', address: number });
    expect(trusted).toMatchObject({ status: 'trusted', method: 'sms' });
    if (trusted.status !== 'trusted') throw new Error('unreachable');
    expect(h.sms.messages.length).toBe(sent);
    expect(await h.twoFactor.listDevices(asActor(user), user)).toMatchObject([
      { id: trusted.credentialId, method: 'sms', switchedOff: true, hint: '+49 *** *** **51' },
    ]);
    expect((await h.twoFactor.status(asActor(user), user)).hasTwoFactor).toBe(false);
    expect((await h.twoFactor.startLogin(user)).state).toBe('done');

    const enabled = await h.twoFactor.switchOnDevice(asActor(user), { deviceId: trusted.credentialId });
    expect(enabled).toMatchObject({ credentialId: trusted.credentialId, method: 'sms' });
    expect((await h.twoFactor.status(asActor(user), user)).hasTwoFactor).toBe(true);
    const start = await h.twoFactor.startLogin(user);
    expect(start).toMatchObject({ state: 'challenge', methods: ['sms'] });
    await h.twoFactor.sendLoginCode({ loginId: start.loginId ?? '', method: 'sms' });
    const proof = await h.twoFactor.verifyLogin({
      loginId: start.loginId ?? '',
      method: 'sms',
      code: smsCode(h, number),
    });
    expect(proof).toMatchObject({ userId: user.id, method: 'sms' });
    expect(h.events.filter((event) => event.type === 'address.trusted')).toHaveLength(1);
  });

  it('a number verified only in another account, or not at all, is sent a code as always', async () => {
    const h = oobHarness({ store: store(), policy: exclusiveMethod, channels: ['sms'] });
    const number = '+4915100000052';
    const elsewhere = { id: `sms-customer-${++next}`, roles: [] as string[], tenantId: 'globex' };
    const added = await codeSent(
      h.twoFactor.addAddress(asActor(elsewhere), { method: 'sms', address: number }),
    );
    await h.twoFactor.verifyAddress(asActor(elsewhere), {
      enrollmentId: added.enrollmentId,
      code: smsCode(h, number),
    });
    afterCooldown(h);
    const user = customer();
    expect(await h.twoFactor.addAddress(asActor(user), { method: 'sms', address: number })).toMatchObject({
      status: 'code_sent',
    });
    // A number another person of the account only added (never verified) is no verified number either.
    afterCooldown(h);
    const pendingNumber = '+4915100000053';
    await h.twoFactor.addAddress(asActor(customer()), { method: 'sms', address: pendingNumber });
    afterCooldown(h);
    expect(
      await h.twoFactor.addAddress(asActor(customer()), { method: 'sms', address: pendingNumber }),
    ).toMatchObject({ status: 'code_sent' });
  });
});
