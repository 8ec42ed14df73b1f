/**
 * The set-up at the first login (accountAdmin: the QR code after the password, and "If the code is
 * entered correctly, the user will be logged into the system."): `startLogin` answers `enroll` with a
 * pending login, and `confirmEnrollment` with that `loginId` activates the app and completes the login in
 * one go. The pending login stays server-side, single use and short-lived (I3), bound to its user (I2,
 * H3), and a set-up never stands in for the code of a login that asked for one (I6).
 */
import { accountAdmin, type PolicyConfig } from '@secondfactor/policy';
import { retryAfterMs } from '@secondfactor/service';
import { expect, it } from 'vitest';
import {
  appCode,
  describeEachStore,
  enrolled,
  type Harness,
  harness,
  otherCode,
  rejection,
  suiteStore,
  testClock,
} from './fixtures';
import { provedAt, selfServiceTwoApps } from './service-helpers';

const TENANT = 'acme';
let next = 0;
const member = () => ({ id: `first-login-${++next}`, roles: [] as string[], tenantId: TENANT });
type Member = ReturnType<typeof member>;
const ADMIN = { id: 'admin-1', roles: ['admin'], tenantId: TENANT };
/** The user on the set-up screen: signed in with his password only. */
const passwordOnly = (user: Member) => ({ ...user, reauthenticatedAt: null, secondFactor: null });

const revokingOnEnable: PolicyConfig = { ...accountAdmin, sessions: { revokeOthersOnEnable: true } };

/** The admin sets "Use 2FA" to YES for a new member; his next login asks for the set-up. */
async function dueForSetUp(h: Harness) {
  const user = member();
  await h.twoFactor.setUseTwoFactor(
    { ...ADMIN, reauthenticatedAt: h.clock(), secondFactor: null },
    user,
    true,
  );
  const start = await h.twoFactor.startLogin(user);
  expect([start.state, start.reason]).toEqual(['enroll', 'required_by_user_setting']);
  const setup = await h.twoFactor.beginEnrollment(passwordOnly(user), { method: 'totp' });
  return { user, loginId: start.loginId ?? '', expiresAt: start.expiresAt ?? 0, setup };
}

describeEachStore('set-up at the first login', (openStore) => {
  const store = suiteStore(openStore);

  it('the right code activates the app and completes the login; the login id is then spent (I3) and the code too (D1)', async () => {
    const h = await harness({ store: store(), policy: accountAdmin, clock: testClock() });
    const { user, loginId, expiresAt, setup } = await dueForSetUp(h);
    expect(loginId).toMatch(/^[A-Za-z0-9_-]{22}\./);
    expect(expiresAt - h.clock()).toBeLessThanOrEqual(600_000);
    // I6: a set-up login is completed by a set-up, never by a code answered to it.
    const code = appCode(setup.manualKey, h.clock());
    const asCode = await rejection(h.twoFactor.verifyLogin({ loginId, method: 'totp', code }));
    expect(asCode.code).toBe('method_not_allowed');

    const done = await h.twoFactor.confirmEnrollment(passwordOnly(user), {
      enrollmentId: setup.enrollmentId,
      code,
      loginId,
    });
    expect(done.login).toEqual({
      userId: user.id,
      method: 'totp',
      fallback: false,
      at: h.clock(),
      sessionEpoch: done.sessionEpoch,
    });
    expect(await h.twoFactor.isSessionCurrent(user.id, done.login?.sessionEpoch ?? -1)).toBe(true);
    expect(h.events.find((e) => e.type === 'login.succeeded')?.data).toMatchObject({ enrolled: true });

    const spent = await rejection(h.twoFactor.verifyLogin({ loginId, method: 'totp', code }));
    expect(spent.code).toBe('challenge_expired');
    // "Subsequent logins": only the code field; the set-up code is spent.
    const later = await h.twoFactor.startLogin(user);
    expect(later.state).toBe('challenge');
    const replay = await rejection(
      h.twoFactor.verifyLogin({ loginId: later.loginId ?? '', method: 'totp', code }),
    );
    expect(replay.code).toBe('otp_replayed');
  });

  it('I3: an expired set-up login is refused and activates nothing; a new login completes with the same set-up', async () => {
    const h = await harness({ store: store(), policy: accountAdmin, clock: testClock() });
    const { user, loginId, expiresAt, setup } = await dueForSetUp(h);
    h.clock.set(expiresAt);
    const code = appCode(setup.manualKey, h.clock());
    const expired = await rejection(
      h.twoFactor.confirmEnrollment(passwordOnly(user), { enrollmentId: setup.enrollmentId, code, loginId }),
    );
    expect(expired.code).toBe('challenge_expired');
    expect((await h.twoFactor.status(passwordOnly(user), user)).hasTwoFactor).toBe(false);

    const again = await h.twoFactor.startLogin(user);
    expect(again.state).toBe('enroll');
    const done = await h.twoFactor.confirmEnrollment(passwordOnly(user), {
      enrollmentId: setup.enrollmentId,
      code,
      loginId: again.loginId ?? '',
    });
    expect(done.login?.userId).toBe(user.id);
  });

  it("H3, I2: another user's set-up login cannot be completed with one's own set-up", async () => {
    const h = await harness({ store: store(), policy: accountAdmin, clock: testClock() });
    const ada = await dueForSetUp(h);
    const bob = await dueForSetUp(h);
    const forged = await rejection(
      h.twoFactor.confirmEnrollment(passwordOnly(bob.user), {
        enrollmentId: bob.setup.enrollmentId,
        code: appCode(bob.setup.manualKey, h.clock()),
        loginId: ada.loginId,
      }),
    );
    expect(forged.code).toBe('challenge_expired');
    expect((await h.twoFactor.status(passwordOnly(bob.user), bob.user)).hasTwoFactor).toBe(false);
    // Ada's login is untouched by the attempt.
    const done = await h.twoFactor.confirmEnrollment(passwordOnly(ada.user), {
      enrollmentId: ada.setup.enrollmentId,
      code: appCode(ada.setup.manualKey, h.clock()),
      loginId: ada.loginId,
    });
    expect(done.login?.userId).toBe(ada.user.id);
  });

  it('I6: a login that asks for a code is not completed by setting up another app', async () => {
    const h = await harness({ store: store(), policy: selfServiceTwoApps, clock: testClock() });
    const { user } = await enrolled(h);
    const login = await h.twoFactor.startLogin(user);
    expect(login.state).toBe('challenge');
    // A set-up begun in a session that passed its second factor earlier.
    const actor = provedAt(user, h.clock(), 'totp');
    const setup = await h.twoFactor.beginEnrollment(actor, { method: 'totp' });
    const refused = await rejection(
      h.twoFactor.confirmEnrollment(actor, {
        enrollmentId: setup.enrollmentId,
        code: appCode(setup.manualKey, h.clock()),
        loginId: login.loginId ?? '',
      }),
    );
    expect(refused.code).toBe('challenge_expired');
    expect(await h.twoFactor.listDevices(actor, user)).toHaveLength(1);
  });

  it('E1, E5: wrong set-up codes count on the user; at the limit even the right code is refused', async () => {
    const h = await harness({ store: store(), policy: accountAdmin, clock: testClock() });
    const { user, loginId, setup } = await dueForSetUp(h);
    const code = appCode(setup.manualKey, h.clock());
    const answers: string[] = [];
    for (let i = 0; i < 5; i++) {
      const error = await rejection(
        h.twoFactor.confirmEnrollment(passwordOnly(user), {
          enrollmentId: setup.enrollmentId,
          code: otherCode(code),
          loginId,
        }),
      );
      answers.push(error.code);
    }
    expect(answers).toEqual(['otp_invalid', 'otp_invalid', 'otp_invalid', 'otp_invalid', 'locked_out']);
    const locked = await rejection(
      h.twoFactor.confirmEnrollment(passwordOnly(user), { enrollmentId: setup.enrollmentId, code, loginId }),
    );
    expect(locked.code).toBe('locked_out');
    expect(retryAfterMs(locked)).toBeGreaterThan(0);
    expect((await h.twoFactor.status(passwordOnly(user), user)).hasTwoFactor).toBe(false);
  });

  it('I5: where enabling signs other sessions out, the completed login keeps the new epoch', async () => {
    const h = await harness({ store: store(), policy: revokingOnEnable, clock: testClock() });
    const { user, loginId, setup } = await dueForSetUp(h);
    const before = await h.store.getSessionEpoch(user.id);
    const done = await h.twoFactor.confirmEnrollment(passwordOnly(user), {
      enrollmentId: setup.enrollmentId,
      code: appCode(setup.manualKey, h.clock()),
      loginId,
    });
    expect(done.sessionEpoch).toBe(before + 2);
    expect(done.login?.sessionEpoch).toBe(before + 2);
    expect(await h.twoFactor.isSessionCurrent(user.id, before)).toBe(false);
    expect(await h.twoFactor.isSessionCurrent(user.id, done.sessionEpoch ?? -1)).toBe(true);
  });
});
