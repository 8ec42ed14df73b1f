/**
 * Signing in with a delivered code: the login lists the user's addresses by a masked hint, sends a code
 * to the one he picks, and completes exactly once with it (G3, D5) — also against 50 concurrent
 * requests with the one code — and a code of another challenge or purpose passes nothing (G4).
 */
import { describe, expect, it } from 'vitest';
import { asActor, codeSent, describeEachStore, freshActor, newUser, rejection, suiteStore } from './fixtures';
import {
  afterCooldown,
  emailCode,
  oobHarness,
  scriptedCodes,
  smsCode,
  withCodes,
  withEmail,
  wrongCode,
} from './oob-helpers';

describeEachStore('sign-in with an e-mail code', (openStore) => {
  const store = suiteStore(openStore);

  it('lists the address by its hint, sends the code, and completes the login once (G3)', async () => {
    const h = oobHarness({ store: store() });
    const { user, address, deviceId } = await withEmail(h);
    const start = await h.twoFactor.startLogin(user);
    expect(start.state).toBe('challenge');
    expect(start.methods).toEqual(['email']);
    expect(start.devices).toEqual([
      { id: deviceId, method: 'email', label: 'E-mail', hint: 'u***@example.com' },
    ]);
    expect(JSON.stringify(start)).not.toContain(address);

    const loginId = start.loginId ?? '';
    const sent = await h.twoFactor.sendLoginCode({ loginId, method: 'email' });
    // The code lives 10 minutes, but not past the login it belongs to (5 minutes here).
    expect(sent).toEqual({ expiresAt: start.expiresAt, resendAfterMs: 30_000, channel: 'email' });
    const code = emailCode(h, address);
    const proof = await h.twoFactor.verifyLogin({ loginId, method: 'email', code });
    expect(proof).toMatchObject({ userId: user.id, method: 'email', fallback: false, at: h.clock() });
    expect(typeof proof.sessionEpoch).toBe('number');
    expect((await rejection(h.twoFactor.verifyLogin({ loginId, method: 'email', code }))).code).toBe(
      'challenge_expired',
    );
  });

  it('D5: 50 concurrent requests with the one e-mail code complete the login exactly once', async () => {
    const h = oobHarness({ store: store() });
    const { user, address } = await withEmail(h);
    const loginId = (await h.twoFactor.startLogin(user)).loginId ?? '';
    await h.twoFactor.sendLoginCode({ loginId, method: 'email' });
    const code = emailCode(h, address);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, () => h.twoFactor.verifyLogin({ loginId, method: 'email', code })),
    );
    const passed = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    expect(passed).toHaveLength(1);
    expect(h.events.filter((e) => e.type === 'login.succeeded')).toHaveLength(1);
    // The losers were double submits, not guesses: nothing counted against the user.
    expect(h.events.filter((e) => e.type === 'login.failed')).toEqual([]);
  });
});

describe('sendLoginCode and verifyLogin with a delivered code', () => {
  it('a wrong code counts on the user and on the login, like a wrong app code', async () => {
    const h = oobHarness();
    const { user, address } = await withEmail(h);
    const loginId = (await h.twoFactor.startLogin(user)).loginId ?? '';
    await h.twoFactor.sendLoginCode({ loginId, method: 'email' });
    const code = emailCode(h, address);
    const error = await rejection(
      h.twoFactor.verifyLogin({ loginId, method: 'email', code: wrongCode(code) }),
    );
    expect(error.code).toBe('otp_invalid');
    expect(h.events.at(-1)).toMatchObject({ type: 'login.failed', data: { method: 'email', failures: 1 } });
    await h.twoFactor.verifyLogin({ loginId, method: 'email', code });
  });

  it('G6: a second send is a resend: the first code stops working', async () => {
    const h = oobHarness({ random: scriptedCodes(['111111', '222222', '333333']) });
    const { user, address } = await withEmail(h);
    const loginId = (await h.twoFactor.startLogin(user)).loginId ?? '';
    await h.twoFactor.sendLoginCode({ loginId, method: 'email' });
    expect(emailCode(h, address)).toBe('222222');
    afterCooldown(h);
    await h.twoFactor.sendLoginCode({ loginId, method: 'email' });
    expect(emailCode(h, address)).toBe('333333');
    const old = await rejection(h.twoFactor.verifyLogin({ loginId, method: 'email', code: '222222' }));
    expect(old.code).toBe('otp_invalid');
    await h.twoFactor.verifyLogin({ loginId, method: 'email', code: '333333' });
  });

  it('G4: a code sent to verify an address does not pass a login, and a login code does not verify an address', async () => {
    // Both challenges get the same code 444444: only the binding of its digest tells them apart.
    const h = oobHarness({ random: scriptedCodes(['111111', '444444', '444444']) });
    const { user } = await withEmail(h);
    const pending = await codeSent(
      h.twoFactor.addAddress(freshActor(user, h.clock(), 'email'), {
        method: 'sms',
        address: '+4915100000010',
      }),
    );
    const loginId = (await h.twoFactor.startLogin(user)).loginId ?? '';
    await h.twoFactor.sendLoginCode({ loginId, method: 'email' });
    const [verifyChallenge, loginChallenge] = await Promise.all([
      h.store.getChallenge(user.id, `${pending.enrollmentId}.verify`),
      h.store.getChallenge(user.id, `${loginId.split('.')[0]}.email`),
    ]);
    expect(verifyChallenge?.purpose).toBe('enroll');
    expect(loginChallenge?.purpose).toBe('login');
    expect(verifyChallenge?.digest).not.toBe(loginChallenge?.digest);

    // A second login, whose code was never sent: the address's code is refused there…
    const other = (await h.twoFactor.startLogin(user)).loginId ?? '';
    expect(
      (await rejection(h.twoFactor.verifyLogin({ loginId: other, method: 'email', code: '444444' }))).code,
    ).toBe('otp_invalid');
    // …and each code passes only where it was issued.
    await h.twoFactor.verifyLogin({ loginId, method: 'email', code: '444444' });
    await h.twoFactor.verifyAddress(freshActor(user, h.clock(), 'email'), {
      enrollmentId: pending.enrollmentId,
      code: '444444',
    });
  });

  it('a method the login did not offer, or without its channel, is refused', async () => {
    const h = oobHarness();
    const { user } = await withEmail(h);
    const loginId = (await h.twoFactor.startLogin(user)).loginId ?? '';
    for (const method of ['sms', 'totp'] as const) {
      const error = await rejection(h.twoFactor.sendLoginCode({ loginId, method: method as 'sms' }));
      expect(error.code).toBe('method_not_allowed');
    }
    // The same user on a service without the e-mail channel is not offered e-mail at all.
    const without = oobHarness({ store: h.store, channels: ['sms'] });
    const start = await without.twoFactor.startLogin(user);
    expect(start.methods).not.toContain('email');
    expect(start.devices).toEqual([]);
  });

  it('a login left with nothing to answer (the only device has no channel here) is denied, not waved through', async () => {
    const policy = { ...withCodes, backupCodes: { issue: false } };
    const h = oobHarness({ policy });
    const { user, deviceId } = await withEmail(h);
    const without = oobHarness({ store: h.store, policy, channels: ['sms'] });
    const start = await without.twoFactor.startLogin(user);
    expect(start).toMatchObject({ state: 'denied', reason: 'no_usable_method', loginId: null, methods: [] });
    // Where the channel is, the same user is asked for his code.
    expect(await h.twoFactor.startLogin(user)).toMatchObject({ state: 'challenge', methods: ['email'] });
    expect((await h.twoFactor.listDevices(asActor(user), user))[0]).toMatchObject({
      id: deviceId,
      hint: 'u***@example.com',
    });
  });

  it('sends a login SMS to the number the user picks, by device id', async () => {
    const h = oobHarness({
      policy: {
        ...withCodes,
        methods: { allowed: ['totp', 'email', 'sms', 'backup_code'], maxDevices: { sms: 2 } },
      },
    });
    const user = newUser();
    const ids: string[] = [];
    for (const address of ['+4915100000020', '+4915100000021']) {
      const actor = freshActor(user, h.clock(), 'sms');
      const added = await codeSent(h.twoFactor.addAddress(actor, { method: 'sms', address }));
      const code = smsCode(h, address);
      ids.push(
        (await h.twoFactor.verifyAddress(actor, { enrollmentId: added.enrollmentId, code })).credentialId,
      );
      afterCooldown(h);
    }
    const start = await h.twoFactor.startLogin(user);
    const loginId = start.loginId ?? '';
    expect(start.devices.map((d) => d.hint)).toEqual(['+49 *** *** **20', '+49 *** *** **21']);
    const error = await rejection(
      h.twoFactor.sendLoginCode({ loginId, method: 'sms', deviceId: 'not-a-device' }),
    );
    expect(error.code).toBe('not_found');
    await h.twoFactor.sendLoginCode({ loginId, method: 'sms', deviceId: ids[1] });
    expect(h.sms.messages.filter((m) => m.to === '+4915100000020')).toHaveLength(1);
    await h.twoFactor.verifyLogin({ loginId, method: 'sms', code: smsCode(h, '+4915100000021') });
  });
});
