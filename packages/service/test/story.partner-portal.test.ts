/**
 * The partnerPortal product at the service level, its TOTP part: two-factor login is a feature for
 * partners only, switched on in the partner's settings (the host's `tenantFeatures`); a user of a tenant
 * without it logs in with username and password alone, a partner's user scans the QR code and enters the
 * received code, then every login asks for the current code from the app; a wrong code is "Otp invalid!",
 * and there is no way round the code.
 */
// Left for the channels issue: "Email Authentication" (the code by e-mail once SMTP and the 2FA_EMAIL configuration are set).
import { partnerPortal } from '@secondfactor/policy';
import type { TenantFeatures } from '@secondfactor/service';
import { expect, it } from 'vitest';
import {
  asActor,
  describeEachStore,
  freshActor,
  type Harness,
  harness,
  otherCode,
  rejection,
  STEP_MS,
  scannedCode,
  suiteStore,
  testClock,
} from './fixtures';

/** The features of each tenant, as the host keeps them; the partner's admin panel changes them. */
function featureFlags(initial: Record<string, string[]>) {
  const flags = new Map(Object.entries(initial));
  const asked: (string | undefined)[] = [];
  const tenantFeatures: TenantFeatures = (tenantId) => {
    asked.push(tenantId);
    return flags.get(tenantId ?? '') ?? [];
  };
  return {
    tenantFeatures,
    asked,
    set: (tenantId: string, features: string[]) => flags.set(tenantId, features),
  };
}

let next = 0;
const userOf = (tenantId: string) => ({ id: `${tenantId}-user-${++next}`, roles: [] as string[], tenantId });

/** A login one step after the last, answered with the app's current code. */
async function logIn(h: Harness, user: ReturnType<typeof userOf>, uri: string) {
  h.clock.advance(STEP_MS);
  const login = await h.twoFactor.startLogin(user);
  expect(login).toMatchObject({ state: 'challenge', reason: 'enrolled', methods: ['totp'] });
  return h.twoFactor.verifyLogin({
    loginId: login.loginId ?? '',
    method: 'totp',
    code: scannedCode(uri, h.clock()),
  });
}

describeEachStore('partnerPortal story', (openStore) => {
  const store = suiteStore(openStore);

  it('"This feature is for partners only": a user of a tenant that is not a partner logs in without 2FA and cannot set it up (K1)', async () => {
    const flags = featureFlags({ retail: [] });
    const h = await harness({
      store: store(),
      policy: partnerPortal,
      clock: testClock(),
      tenantFeatures: flags.tenantFeatures,
    });
    const user = userOf('retail');

    expect(await h.twoFactor.startLogin(user)).toMatchObject({
      state: 'done',
      reason: 'feature_unavailable',
    });
    expect(flags.asked).toEqual(['retail']);
    const refused = await rejection(h.twoFactor.beginEnrollment(asActor(user), { method: 'totp' }));
    expect([refused.code, refused.detail?.reason]).toEqual(['policy_denied', 'feature_unavailable']);
    expect((await h.twoFactor.startLogin(user)).state).toBe('done');
  });

  it('a partner with TOTP: scan the QR code and enter the received code at the first login; then username, password and the current code, every time (H1, I6)', async () => {
    const flags = featureFlags({ acme: ['partner', '2fa_totp'] });
    const h = await harness({
      store: store(),
      policy: partnerPortal,
      clock: testClock(),
      tenantFeatures: flags.tenantFeatures,
    });
    const user = userOf('acme');
    const actor = asActor(user);

    // The partner turned TOTP on: the first login sets the app up, and cannot be put off.
    const first = await h.twoFactor.startLogin(user);
    expect(first).toMatchObject({
      state: 'enroll',
      reason: 'required_by_tenant',
      methods: ['totp'],
      deferrable: false,
    });
    // "Even if someone knows your password, they will not be able to access your account without a
    // one-time password": no skipping the set-up, no switch on the user's profile.
    const skipped = await rejection(h.twoFactor.skipSetup(actor));
    expect([skipped.code, skipped.detail?.reason]).toEqual(['policy_denied', 'action_not_offered']);
    const switchedOff = await rejection(
      h.twoFactor.setUseTwoFactor(freshActor(user, h.clock()), user, false),
    );
    expect(switchedOff.detail?.reason).toBe('action_not_offered');

    // "Use the authentication app to scan the QR code provided by the service": a new password every 30 seconds.
    const setup = await h.twoFactor.beginEnrollment(actor, {
      method: 'totp',
      accountName: 'agent@acme.example',
    });
    expect(setup.uri).toMatch(/^otpauth:\/\/totp\/Example:agent%40acme\.example\?.*&period=30/);
    // H1: until a code is entered the login still asks for the set-up.
    expect((await h.twoFactor.startLogin(user)).state).toBe('enroll');

    // "Enter the current code displayed in the application into the confirmation field … to complete the
    // process" — a wrong one first. The code that activates the app also completes this first login.
    const enrollment = { enrollmentId: setup.enrollmentId, loginId: first.loginId ?? '' };
    const code = scannedCode(setup.uri, h.clock());
    const wrong = await rejection(
      h.twoFactor.confirmEnrollment(actor, { ...enrollment, code: otherCode(code) }),
    );
    expect([wrong.code, wrong.message]).toEqual(['otp_invalid', 'Otp invalid!']);
    const confirmed = await h.twoFactor.confirmEnrollment(actor, { ...enrollment, code });
    expect(confirmed).toMatchObject({
      method: 'totp',
      backupCodes: null,
      login: { userId: user.id, method: 'totp', fallback: false, at: h.clock() },
    });
    expect(await h.twoFactor.isSessionCurrent(user.id, confirmed.login?.sessionEpoch ?? -1)).toBe(true);
    // I3: that login is done; its id does not complete another.
    const reused = await rejection(
      h.twoFactor.verifyLogin({ loginId: enrollment.loginId, method: 'totp', code }),
    );
    expect(reused.code).toBe('challenge_expired');

    // "Enter your username and password … Open the authentication application … enter it to complete
    // the login process."
    h.clock.advance(STEP_MS);
    const login = await h.twoFactor.startLogin(user);
    expect(login).toMatchObject({ state: 'challenge', methods: ['totp'], fallbackMethods: [] });
    const loginId = login.loginId ?? '';
    const current = scannedCode(setup.uri, h.clock());
    const mistyped = await rejection(
      h.twoFactor.verifyLogin({ loginId, method: 'totp', code: otherCode(current) }),
    );
    expect([mistyped.code, mistyped.message]).toEqual(['otp_invalid', 'Otp invalid!']);
    // I6: the e-mail code is not this partner's method, whatever the request says.
    const other = await rejection(h.twoFactor.verifyLogin({ loginId, method: 'email', code: current }));
    expect(other.detail?.reason).toBe('method_not_allowed');
    const proof = await h.twoFactor.verifyLogin({ loginId, method: 'totp', code: current });
    expect(proof).toMatchObject({ userId: user.id, method: 'totp', fallback: false, at: h.clock() });

    h.clock.advance(3_600_000);
    expect(await logIn(h, user, setup.uri)).toMatchObject({ userId: user.id, method: 'totp' });
    expect(new Set(flags.asked)).toEqual(new Set(['acme']));
  });

  it('"The settings are located in the admin panel": the partner turns TOTP on, and the next login of its users sets the app up (K1)', async () => {
    const flags = featureFlags({ globex: ['partner'] });
    const h = await harness({
      store: store(),
      policy: partnerPortal,
      clock: testClock(),
      tenantFeatures: flags.tenantFeatures,
    });
    const user = userOf('globex');
    // A partner that has not configured TOTP: username and password only.
    expect(await h.twoFactor.startLogin(user)).toMatchObject({ state: 'done', reason: 'not_required' });

    flags.set('globex', ['partner', '2fa_totp']);
    expect(await h.twoFactor.startLogin(user)).toMatchObject({
      state: 'enroll',
      reason: 'required_by_tenant',
    });
    const setup = await h.twoFactor.beginEnrollment(asActor(user), { method: 'totp' });
    await h.twoFactor.confirmEnrollment(asActor(user), {
      enrollmentId: setup.enrollmentId,
      code: scannedCode(setup.uri, h.clock()),
    });
    expect((await logIn(h, user, setup.uri)).userId).toBe(user.id);
  });
});
