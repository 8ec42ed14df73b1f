/**
 * Adding an e-mail address or phone number as a second factor: nothing is active before its code comes
 * back (H1), the code is checked once, for this purpose only, within its lifetime (G2, G3, G4), a resend
 * kills the old code and keeps the count (G6), and a new number needs a current second factor and tells
 * the old one (G9).
 */
import { exclusiveMethod } from '@secondfactor/policy';
import { describe, expect, it } from 'vitest';
import { asActor, codeSent, freshActor, newUser, rejection } from './fixtures';
import { afterCooldown, emailCode, oobHarness, smsCode, withEmail, wrongCode } from './oob-helpers';

describe('addAddress and verifyAddress', () => {
  it('H1: an address is a device only once its code came back; the code goes to the address and nowhere else', async () => {
    const h = oobHarness();
    const user = newUser();
    const added = await codeSent(
      h.twoFactor.addAddress(asActor(user), {
        method: 'email',
        address: 'ada@example.com',
      }),
    );
    expect(Object.keys(added).sort()).toEqual([
      'channel',
      'enrollmentId',
      'expiresAt',
      'resendAfterMs',
      'status',
    ]);
    expect(added.channel).toBe('email');
    expect(added.resendAfterMs).toBe(30_000);
    expect(await h.twoFactor.listDevices(asActor(user), user)).toEqual([]);

    const confirmed = await h.twoFactor.verifyAddress(asActor(user), {
      enrollmentId: added.enrollmentId,
      code: emailCode(h, 'ada@example.com'),
    });
    expect(confirmed.method).toBe('email');
    expect(confirmed.backupCodes).toHaveLength(10);
    const devices = await h.twoFactor.listDevices(asActor(user), user);
    expect(devices.map((d) => [d.id, d.method, d.label])).toEqual([
      [confirmed.credentialId, 'email', 'E-mail'],
    ]);
  });

  it('a method without its channel is refused with method_not_allowed', async () => {
    const h = oobHarness({ channels: ['email'] });
    const error = await rejection(
      h.twoFactor.addAddress(asActor(newUser()), { method: 'sms', address: '+4915112345612' }),
    );
    expect(error.code).toBe('method_not_allowed');
    expect(h.sms.messages).toEqual([]);
  });

  it('refuses what is not one bare e-mail address or an E.164 number, before sending anything', async () => {
    const h = oobHarness();
    const actor = asActor(newUser());
    for (const address of ['ada@example.com, eve@example.net', 'Ada <ada@example.com>', '']) {
      expect((await rejection(h.twoFactor.addAddress(actor, { method: 'email', address }))).code).toBe(
        'invalid_argument',
      );
    }
    for (const address of ['015112345612', '+49 151 12345612', '+0123']) {
      expect((await rejection(h.twoFactor.addAddress(actor, { method: 'sms', address }))).code).toBe(
        'invalid_argument',
      );
    }
    expect(h.outbox.entries).toEqual([]);
  });

  it('G3: a verification code works once; a wrong one counts on the user like any confirmation', async () => {
    const h = oobHarness();
    const user = newUser();
    const added = await codeSent(
      h.twoFactor.addAddress(asActor(user), { method: 'email', address: 'g3@example.com' }),
    );
    const code = emailCode(h, 'g3@example.com');
    const wrong = await rejection(
      h.twoFactor.verifyAddress(asActor(user), { enrollmentId: added.enrollmentId, code: wrongCode(code) }),
    );
    expect(wrong.code).toBe('otp_invalid');
    expect(h.events.find((e) => e.type === 'enrollment.failed')?.data).toMatchObject({ failures: 1 });
    await h.twoFactor.verifyAddress(asActor(user), { enrollmentId: added.enrollmentId, code });
    const again = await rejection(
      h.twoFactor.verifyAddress(asActor(user), { enrollmentId: added.enrollmentId, code }),
    );
    expect(again.code).toBe('enrollment_not_found');
  });

  it('G2: an e-mail code of a 10-minute lifetime is accepted at 9:59 and refused at 10:01', async () => {
    // The set-up itself lives longer than its code here, so only the code's lifetime decides.
    const early = oobHarness({ enrollmentTtlSeconds: 1800 });
    const late = oobHarness({ enrollmentTtlSeconds: 1800 });
    for (const [h, wait, outcome] of [
      [early, 599_000, 'ok'],
      [late, 601_000, 'otp_expired'],
    ] as const) {
      const user = newUser();
      const added = await codeSent(
        h.twoFactor.addAddress(asActor(user), {
          method: 'email',
          address: 'g2@example.com',
        }),
      );
      expect(added.expiresAt).toBe(h.clock() + 600_000);
      h.clock.advance(wait);
      const verify = h.twoFactor.verifyAddress(asActor(user), {
        enrollmentId: added.enrollmentId,
        code: emailCode(h, 'g2@example.com'),
      });
      if (outcome === 'ok') await verify;
      else expect((await rejection(verify)).code).toBe(outcome);
    }
  });

  it('G6: a resend issues a new code, the previous one stops working, and wrong codes so far still count', async () => {
    const h = oobHarness();
    const user = newUser();
    const added = await codeSent(
      h.twoFactor.addAddress(asActor(user), { method: 'sms', address: '+4915112345612' }),
    );
    const first = smsCode(h, '+4915112345612');
    await rejection(
      h.twoFactor.verifyAddress(asActor(user), { enrollmentId: added.enrollmentId, code: wrongCode(first) }),
    );
    afterCooldown(h);
    const resent = await h.twoFactor.resendAddressCode(asActor(user), { enrollmentId: added.enrollmentId });
    expect(resent.enrollmentId).toBe(added.enrollmentId);
    const second = smsCode(h, '+4915112345612');
    expect(h.sms.messages).toHaveLength(2);
    const challenge = await h.store.getChallenge(user.id, `${added.enrollmentId}.verify`);
    expect(challenge).toMatchObject({ attempts: 1, deliveries: 2 });
    if (first !== second) {
      const old = await rejection(
        h.twoFactor.verifyAddress(asActor(user), { enrollmentId: added.enrollmentId, code: first }),
      );
      expect(old.code).toBe('otp_invalid');
    }
    await h.twoFactor.verifyAddress(asActor(user), { enrollmentId: added.enrollmentId, code: second });
  });

  it('H3: another user cannot verify, resend or even see a pending address', async () => {
    const h = oobHarness();
    const [owner, other] = [newUser(), newUser()];
    const added = await codeSent(
      h.twoFactor.addAddress(asActor(owner), {
        method: 'email',
        address: 'h3@example.com',
      }),
    );
    const code = emailCode(h, 'h3@example.com');
    afterCooldown(h);
    expect(
      (await rejection(h.twoFactor.verifyAddress(asActor(other), { enrollmentId: added.enrollmentId, code })))
        .code,
    ).toBe('enrollment_not_found');
    expect(
      (await rejection(h.twoFactor.resendAddressCode(asActor(other), { enrollmentId: added.enrollmentId })))
        .code,
    ).toBe('enrollment_not_found');
    expect(h.email.emails).toHaveLength(1);
  });
});

describe('G9: changing a number or an e-mail address', () => {
  it('needs a current second factor, and tells the old number once the new one is verified', async () => {
    const h = oobHarness({ policy: exclusiveMethod });
    const user = { ...newUser(), tenantId: 'acme' };
    const added = await codeSent(
      h.twoFactor.addAddress(asActor(user), { method: 'sms', address: '+4915100000001' }),
    );
    const first = await h.twoFactor.verifyAddress(asActor(user), {
      enrollmentId: added.enrollmentId,
      code: smsCode(h, '+4915100000001'),
    });
    afterCooldown(h);

    const stale = await rejection(
      h.twoFactor.addAddress(asActor(user), {
        method: 'sms',
        address: '+4915100000002',
        replaces: first.credentialId,
      }),
    );
    expect(stale.code).toBe('policy_denied');
    expect(stale.detail?.reason).toBe('fresh_auth_required');
    expect(h.sms.last('+4915100000002')).toBeUndefined();

    const actor = freshActor(user, h.clock(), 'sms');
    const change = await codeSent(
      h.twoFactor.addAddress(actor, {
        method: 'sms',
        address: '+4915100000002',
        replaces: first.credentialId,
      }),
    );
    // Nothing is said to the old number, and it keeps working, until the new one is verified.
    expect(h.sms.messages.filter((m) => m.to === '+4915100000001')).toHaveLength(1);
    const done = await h.twoFactor.verifyAddress(actor, {
      enrollmentId: change.enrollmentId,
      code: smsCode(h, '+4915100000002'),
    });
    const notice = h.sms.last('+4915100000001');
    expect(notice?.text).toContain('phone number for your sign-in codes was changed');
    expect(notice?.text).not.toMatch(/[0-9]{4,}/);
    const devices = await h.twoFactor.listDevices(actor, user);
    expect(devices.map((d) => d.id)).toEqual([done.credentialId]);
    expect(h.events.find((e) => e.type === 'address.change_notified')?.data).toEqual({
      method: 'sms',
      credentialId: first.credentialId,
      hint: '+49 *** *** **01',
      delivered: true,
    });
  });

  it('a number of another method or another user cannot be replaced', async () => {
    const h = oobHarness();
    const { user, deviceId } = await withEmail(h);
    const error = await rejection(
      h.twoFactor.addAddress(freshActor(user, h.clock(), 'email'), {
        method: 'sms',
        address: '+4915100000003',
        replaces: deviceId,
      }),
    );
    expect(error.code).toBe('not_found');
  });

  it('H7: changing the e-mail address tells the old address by a notice e-mail once the new one is verified', async () => {
    const h = oobHarness();
    const { user, address, deviceId } = await withEmail(h);
    const actor = freshActor(user, h.clock(), 'email');
    const next = `${user.id}.new@example.com`;
    const change = await codeSent(
      h.twoFactor.addAddress(actor, { method: 'email', address: next, replaces: deviceId }),
    );
    expect(h.email.emails.filter((e) => e.to === address && e.kind === 'notice')).toHaveLength(0);
    const done = await h.twoFactor.verifyAddress(actor, {
      enrollmentId: change.enrollmentId,
      code: emailCode(h, next),
    });
    const notice = h.email.last(address);
    expect(notice).toMatchObject({ kind: 'notice' });
    expect(notice?.subject).toMatch(/e-mail address was changed/);
    expect(notice?.text).not.toMatch(/[0-9]{6}/);
    expect((await h.twoFactor.listDevices(actor, user)).map((d) => d.id)).toEqual([done.credentialId]);
    expect(h.events.find((e) => e.type === 'address.change_notified')?.data).toMatchObject({
      method: 'email',
      credentialId: deviceId,
      delivered: true,
    });
  });

  it('an e-mail address is not changed through a channel that cannot tell the old one', async () => {
    const h = oobHarness({ emailWithoutNotice: true });
    const { user, deviceId } = await withEmail(h);
    const error = await rejection(
      h.twoFactor.addAddress(freshActor(user, h.clock(), 'email'), {
        method: 'email',
        address: 'other@example.com',
        replaces: deviceId,
      }),
    );
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toMatch(/sendNotice/);
  });
});
