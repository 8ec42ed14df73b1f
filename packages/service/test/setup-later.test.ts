/**
 * The first-login set-up, put off and done with an address: "Set up later" completes a login that asked
 * for the set-up while the grace period runs (once, and never after the grace), and an e-mail address or
 * phone number verified with the login's `loginId` completes that login as a first app code does.
 */
import { accountAdmin, type PolicyConfig } from '@secondfactor/policy';
import { describe, expect, it } from 'vitest';
import { asActor, codeSent, enrolled, freshActor, harness, newUser, rejection } from './fixtures';
import { emailCode, oobHarness, withCodes } from './oob-helpers';

const TENANT = 'acme';
/** accountAdmin with a day to set up once an admin says "Use 2FA: yes". */
const withGrace: PolicyConfig = {
  ...accountAdmin,
  name: 'accountAdminGrace',
  requirement: { ...accountAdmin.requirement, userGraceSeconds: 86_400 },
};
const admin = { id: 'admin-1', roles: ['admin'], tenantId: TENANT };

describe('deferSetup', () => {
  it('completes a login whose set-up may be put off, once, with the epoch; the next login asks again', async () => {
    const h = await harness({ policy: withGrace });
    const user = { ...newUser(), tenantId: TENANT };
    await h.twoFactor.setUseTwoFactor(freshActor(admin, h.clock(), null), user, true);
    const start = await h.twoFactor.startLogin(user);
    expect(start).toMatchObject({ state: 'enroll', deferrable: true, graceRemainingSeconds: 86_400 });
    const loginId = start.loginId ?? '';

    h.clock.advance(60_000);
    const deferred = await h.twoFactor.deferSetup({ loginId });
    expect(deferred).toEqual({
      userId: user.id,
      sessionEpoch: await h.store.getSessionEpoch(user.id),
      graceRemainingSeconds: 86_340,
    });
    expect(await h.twoFactor.isSessionCurrent(user.id, deferred.sessionEpoch)).toBe(true);
    expect((await rejection(h.twoFactor.deferSetup({ loginId }))).code).toBe('challenge_expired');
    expect(h.events.filter((event) => event.type === 'setup.deferred')).toHaveLength(1);

    const next = await h.twoFactor.startLogin(user);
    expect(next).toMatchObject({ state: 'enroll', deferrable: true, graceRemainingSeconds: 86_340 });
  });

  it('never after the grace ended, even for a login started before', async () => {
    const h = await harness({ policy: withGrace });
    const user = { ...newUser(), tenantId: TENANT };
    await h.twoFactor.setUseTwoFactor(freshActor(admin, h.clock(), null), user, true);
    await h.twoFactor.startLogin(user); // the grace starts
    h.clock.advance(86_400_000 - 60_000);
    const late = await h.twoFactor.startLogin(user);
    expect(late).toMatchObject({ state: 'enroll', deferrable: true, graceRemainingSeconds: 60 });
    h.clock.advance(60_000);
    expect((await rejection(h.twoFactor.deferSetup({ loginId: late.loginId ?? '' }))).code).toBe(
      'challenge_expired',
    );
    const after = await h.twoFactor.startLogin(user);
    expect(after).toMatchObject({ state: 'enroll', deferrable: false });
    expect((await rejection(h.twoFactor.deferSetup({ loginId: after.loginId ?? '' }))).code).toBe(
      'challenge_expired',
    );
  });

  it('a login that asks for a code is not completed by putting a set-up off', async () => {
    const h = await harness({ policy: withGrace });
    const { user } = await enrolled(h, { ...newUser(), tenantId: TENANT } as ReturnType<typeof newUser>);
    const start = await h.twoFactor.startLogin(user);
    expect(start.state).toBe('challenge');
    expect((await rejection(h.twoFactor.deferSetup({ loginId: start.loginId ?? '' }))).code).toBe(
      'challenge_expired',
    );
  });
});

describe('a first-login set-up with an address', () => {
  const required: PolicyConfig = { ...withCodes, name: 'withCodesRequired', requirement: { default: true } };

  it('verifyAddress with the loginId completes the login that asked for the set-up (H1: only once verified)', async () => {
    const h = oobHarness({ policy: required });
    const user = newUser();
    const start = await h.twoFactor.startLogin(user);
    expect(start.state).toBe('enroll');
    expect(start.methods).toContain('email');
    const loginId = start.loginId ?? '';
    const address = `${user.id}@example.com`;
    const added = await codeSent(h.twoFactor.addAddress(asActor(user), { method: 'email', address }));
    const wrong = await rejection(
      h.twoFactor.verifyAddress(asActor(user), { enrollmentId: added.enrollmentId, code: '000000', loginId }),
    );
    expect(wrong.code).toBe('otp_invalid');
    const confirmed = await h.twoFactor.verifyAddress(asActor(user), {
      enrollmentId: added.enrollmentId,
      code: emailCode(h, address),
      loginId,
    });
    expect(confirmed.login).toMatchObject({ userId: user.id, method: 'email', fallback: false });
    expect(confirmed.sessionEpoch).toBe(confirmed.login?.sessionEpoch);
    expect(confirmed.backupCodes).toHaveLength(10);
    expect(
      (await rejection(h.twoFactor.verifyLogin({ loginId, method: 'email', code: '123456' }))).code,
    ).toBe('challenge_expired');
  });

  it("another user's login, or one that asks for a code, is not completed", async () => {
    const h = oobHarness({ policy: required });
    const owner = newUser();
    const { loginId } = await h.twoFactor.startLogin(owner);
    const other = newUser();
    const address = `${other.id}@example.com`;
    const added = await codeSent(h.twoFactor.addAddress(asActor(other), { method: 'email', address }));
    const error = await rejection(
      h.twoFactor.verifyAddress(asActor(other), {
        enrollmentId: added.enrollmentId,
        code: emailCode(h, address),
        loginId: loginId ?? '',
      }),
    );
    expect(error.code).toBe('challenge_expired');
    // Nothing was confirmed: the code still works without the foreign login.
    const confirmed = await h.twoFactor.verifyAddress(asActor(other), {
      enrollmentId: added.enrollmentId,
      code: emailCode(h, address),
    });
    expect(confirmed.login).toBeNull();
  });
});
