/**
 * Resetting 2FA and replacing a device. A reset leaves a mark: "The next time the user logs in to the
 * account, he will be prompted to set up two-factor authentication" (accountAdmin), also when he had
 * switched 2FA on only by setting up, and even when the reset was cut short (a device older than the mark
 * no longer counts). Replacing a device ("a need to change the phone") needs a current second factor,
 * keeps the old device working until the new one is confirmed, and removes it in the confirming step
 * (H4); from then on it fails (H9).
 */
import { accountAdmin } from '@secondfactor/policy';
import { expect, it } from 'vitest';
import {
  appCode,
  asActor,
  describeEachStore,
  enrolled,
  type Harness,
  harness,
  rejection,
  STEP_MS,
  suiteStore,
  testClock,
} from './fixtures';
import { intercepting, provedAt, serviceOver, signIn, storeDown } from './service-helpers';

const TENANT = 'acme';
let next = 0;
const member = () => ({ id: `staff-${++next}`, roles: [] as string[], tenantId: TENANT });
type Member = ReturnType<typeof member>;
const ADMIN = { id: 'admin-1', roles: ['admin'], tenantId: TENANT };
const adminNow = (h: Harness) => ({ ...ADMIN, reauthenticatedAt: h.clock(), secondFactor: null });

/** The user on the set-up screen of a login: signed in with his password only. */
const passwordOnly = (user: Member) => ({ ...user, reauthenticatedAt: null, secondFactor: null });

/** Sets up an app at the set-up screen of `user`'s login and returns its key. */
async function setUpAtLogin(h: Harness, user: Member): Promise<string> {
  const start = await h.twoFactor.startLogin(user);
  expect(start.state).toBe('enroll');
  const setup = await h.twoFactor.beginEnrollment(passwordOnly(user), { method: 'totp' });
  await h.twoFactor.confirmEnrollment(passwordOnly(user), {
    enrollmentId: setup.enrollmentId,
    code: appCode(setup.manualKey, h.clock()),
    loginId: start.loginId ?? '',
  });
  return setup.manualKey;
}

describeEachStore('reset and replace', (openStore) => {
  const store = suiteStore(openStore);

  it('reset: a user who switched 2FA on by setting up is asked to set up again; once done, he is asked for codes', async () => {
    const h = await harness({ store: store(), policy: accountAdmin, clock: testClock() });
    const user = member();
    await enrolled(h, user);
    expect((await h.twoFactor.status(adminNow(h), user)).useTwoFactor).toBeNull();
    await h.twoFactor.reset(adminNow(h), user);
    const start = await h.twoFactor.startLogin(user);
    expect(start).toMatchObject({ state: 'enroll', reason: 'reset_pending', deferrable: false });

    h.clock.advance(STEP_MS);
    const manualKey = await setUpAtLogin(h, user);
    expect((await h.store.getUserSettings(user.id))?.enrollmentResetAt).toBeUndefined();
    expect((await signIn(h, user, manualKey)).userId).toBe(user.id);
  });

  it('reset: "Disable 2FA" on the set-up screen settles the reset where the user may toggle', async () => {
    const h = await harness({ store: store(), policy: accountAdmin, clock: testClock() });
    const user = member();
    await enrolled(h, user);
    await h.twoFactor.reset(adminNow(h), user);
    await h.twoFactor.skipSetup(passwordOnly(user));
    expect((await h.twoFactor.startLogin(user)).state).toBe('done');
    expect((await h.store.getUserSettings(user.id))?.enrollmentResetAt).toBeUndefined();
  });

  it('resetOwn: "to configure 2FA on a new phone" — the old phone stops working, the new one is set up at the next login (H9)', async () => {
    const h = await harness({ store: store(), policy: accountAdmin, clock: testClock() });
    const user = member();
    const { manualKey: oldPhone } = await enrolled(h, user);
    const proof = await signIn(h, user, oldPhone);
    await h.twoFactor.resetOwn(provedAt(user, proof.at, proof.method));
    expect((await h.twoFactor.startLogin(user)).reason).toBe('reset_pending');
    h.clock.advance(STEP_MS);
    const newPhone = await setUpAtLogin(h, user);
    h.clock.advance(STEP_MS);
    const start = await h.twoFactor.startLogin(user);
    const refused = await rejection(
      h.twoFactor.verifyLogin({
        loginId: start.loginId ?? '',
        method: 'totp',
        code: appCode(oldPhone, h.clock()),
      }),
    );
    expect(refused.code).toBe('otp_invalid');
    expect((await signIn(h, user, newPhone)).userId).toBe(user.id);
  });

  it('a reset cut short after its mark still asks for a set-up; the device left behind answers no login; a retry finishes it', async () => {
    let failing = true;
    const h = serviceOver(
      intercepting(store(), 'resetUser', (original, userId) => {
        if (failing) throw storeDown();
        return original(userId);
      }),
      { policy: accountAdmin },
    );
    const user = member();
    const { confirmed } = await enrolled(h, user);
    h.clock.advance(STEP_MS);
    expect((await rejection(h.twoFactor.reset(adminNow(h), user))).code).toBe('store_unavailable');
    expect((await h.store.listCredentials(user.id)).map((c) => c.id)).toEqual([confirmed.credentialId]);
    const start = await h.twoFactor.startLogin(user);
    expect([start.state, start.reason, start.devices]).toEqual(['enroll', 'reset_pending', []]);

    failing = false;
    await h.twoFactor.reset(adminNow(h), user);
    expect(await h.store.listCredentials(user.id)).toEqual([]);
  });

  it('H9: a device that a cut-short reset left behind does not come back when the user sets up again', async () => {
    let failing = true;
    const h = serviceOver(
      intercepting(store(), 'resetUser', (original, userId) => {
        if (failing) throw storeDown();
        return original(userId);
      }),
      { policy: accountAdmin },
    );
    const user = member();
    const { manualKey: lostPhone, confirmed } = await enrolled(h, user);
    h.clock.advance(STEP_MS);
    await rejection(h.twoFactor.reset(adminNow(h), user));
    failing = false;
    h.clock.advance(STEP_MS);
    await setUpAtLogin(h, user);

    // The phone the reset was for (lost, stolen) must not sign in again.
    h.clock.advance(STEP_MS);
    const start = await h.twoFactor.startLogin(user);
    expect(start.devices.map((d) => d.id)).not.toContain(confirmed.credentialId);
    const refused = await rejection(
      h.twoFactor.verifyLogin({
        loginId: start.loginId ?? '',
        method: 'totp',
        code: appCode(lostPhone, h.clock()),
        deviceId: confirmed.credentialId,
      }),
    );
    expect(refused.code).toBe('challenge_expired');
  });

  it('H4: replacing the app needs a current code; the old app works until the new one is confirmed, then fails (H9)', async () => {
    const h = await harness({ store: store(), clock: testClock() }); // selfService: one app per user
    const { user, manualKey: oldKey, confirmed } = await enrolled(h);
    const oldId = confirmed.credentialId;
    const stale = await rejection(
      h.twoFactor.beginEnrollment(asActor(user), { method: 'totp', replaces: oldId }),
    );
    expect([stale.code, stale.detail?.reason]).toEqual(['policy_denied', 'fresh_auth_required']);

    const proof = await signIn(h, user, oldKey);
    const actor = provedAt(user, proof.at, proof.method);
    // A second app is not allowed here; a replacement is.
    const added = await rejection(h.twoFactor.beginEnrollment(actor, { method: 'totp' }));
    expect([added.code, added.detail?.reason]).toEqual(['policy_denied', 'method_already_enrolled']);
    const setup = await h.twoFactor.beginEnrollment(actor, {
      method: 'totp',
      replaces: oldId,
      label: 'New phone',
    });

    // Nothing changes until the new app is confirmed.
    expect((await signIn(h, user, oldKey)).userId).toBe(user.id);
    const done = await h.twoFactor.confirmEnrollment(actor, {
      enrollmentId: setup.enrollmentId,
      code: appCode(setup.manualKey, h.clock()),
      replaces: oldId,
    });
    expect(done.backupCodes).toBeNull(); // the user keeps the set he saved
    expect(
      h.events.find((e) => e.type === 'enrollment.confirmed' && e.data.replaced === oldId),
    ).toBeDefined();

    const devices = await h.twoFactor.listDevices(actor, user);
    expect(devices.map((d) => [d.id, d.label])).toEqual([[setup.enrollmentId, 'New phone']]);
    expect((await h.twoFactor.status(actor, user)).backupCodesRemaining).toBe(10);
    h.clock.advance(STEP_MS);
    const start = await h.twoFactor.startLogin(user);
    const old = await rejection(
      h.twoFactor.verifyLogin({
        loginId: start.loginId ?? '',
        method: 'totp',
        code: appCode(oldKey, h.clock()),
      }),
    );
    expect(old.code).toBe('otp_invalid');
    const named = await rejection(
      h.twoFactor.verifyLogin({
        loginId: start.loginId ?? '',
        method: 'totp',
        code: appCode(oldKey, h.clock()),
        deviceId: oldId,
      }),
    );
    expect(named.code).toBe('challenge_expired');
    expect((await signIn(h, user, setup.manualKey)).userId).toBe(user.id);
  });

  it("H3: replacing another user's device is not found, at the start and at the confirmation", async () => {
    const h = await harness({ store: store(), clock: testClock() });
    const ada = await enrolled(h);
    const bob = await enrolled(h);
    const adaDevice = ada.confirmed.credentialId;
    const actor = provedAt(bob.user, h.clock(), 'totp');
    const begun = await rejection(
      h.twoFactor.beginEnrollment(actor, { method: 'totp', replaces: adaDevice }),
    );
    expect([begun.code, begun.detail?.reason]).toEqual(['not_found', 'device_not_found']);

    const setup = await h.twoFactor.beginEnrollment(actor, {
      method: 'totp',
      replaces: bob.confirmed.credentialId,
    });
    const confirmed = await rejection(
      h.twoFactor.confirmEnrollment(actor, {
        enrollmentId: setup.enrollmentId,
        code: appCode(setup.manualKey, h.clock()),
        replaces: adaDevice,
      }),
    );
    expect([confirmed.code, confirmed.detail?.reason]).toEqual(['not_found', 'device_not_found']);
    expect((await h.store.listCredentials(ada.user.id)).map((c) => c.id)).toEqual([adaDevice]);
    expect((await h.store.listCredentials(bob.user.id)).map((c) => c.id)).toEqual([
      bob.confirmed.credentialId,
    ]);
  });

  it('H4: a replacement begun with `replaces` and confirmed without it does not leave two apps where the policy allows one', async () => {
    const h = await harness({ store: store(), clock: testClock() }); // selfService: one app per user
    const { user, confirmed } = await enrolled(h);
    const actor = provedAt(user, h.clock(), 'totp');
    const setup = await h.twoFactor.beginEnrollment(actor, {
      method: 'totp',
      replaces: confirmed.credentialId,
    });
    await h.twoFactor
      .confirmEnrollment(actor, {
        enrollmentId: setup.enrollmentId,
        code: appCode(setup.manualKey, h.clock()),
      })
      .catch(() => undefined); // refusing or replacing are both right; adding is not
    expect(await h.store.listCredentials(user.id)).toHaveLength(1);
  });
});
