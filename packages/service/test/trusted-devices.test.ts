/**
 * "Remember this browser" (policy `sessions.rememberDeviceDays`): a login that asks for it returns a token
 * shown once; presented at a later login, it answers `done` without a code until it expires, until a
 * reset or switching 2FA off revokes it, or while the policy has no trusted devices. Its proof is the
 * login it was remembered at, so actions that ask for a recent second factor still ask (F6).
 */
import { selfService } from '@secondfactor/policy';
import { describe, expect, it } from 'vitest';
import {
  appCode,
  describeEachStore,
  enrolled,
  freshActor,
  type Harness,
  harness,
  rejection,
  STEP_MS,
  suiteStore,
  testClock,
} from './fixtures';
import { rememberingBrowsers, serviceOver } from './service-helpers';

const DAY_MS = 86_400_000;

/** A login answered with the app's code one step later, asking to remember the browser. */
async function rememberedLogin(h: Harness, user: { id: string; roles: string[] }, manualKey: string) {
  h.clock.advance(STEP_MS);
  const start = await h.twoFactor.startLogin(user);
  return h.twoFactor.verifyLogin({
    loginId: start.loginId ?? '',
    method: 'totp',
    code: appCode(manualKey, h.clock()),
    rememberDevice: true,
  });
}

describeEachStore('trusted devices', (openStore) => {
  const store = suiteStore(openStore);

  it("rememberDevice returns a token for the policy's days; the next login with it is done without a code, with the remembered proof", async () => {
    const h = await harness({ store: store(), policy: rememberingBrowsers(30), clock: testClock() });
    const { user, manualKey } = await enrolled(h);
    const proof = await rememberedLogin(h, user, manualKey);
    const rememberedAt = h.clock();
    const token = proof.trustedDeviceToken ?? '';
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(proof.trustedDeviceExpiresAt).toBe(rememberedAt + 30 * DAY_MS);
    expect(h.events.at(-1)).toMatchObject({
      type: 'trusted_device.added',
      data: { expiresAt: rememberedAt + 30 * DAY_MS },
    });

    h.clock.advance(3 * DAY_MS);
    const next = await h.twoFactor.startLogin(user, { trustedDeviceToken: token });
    expect(next).toMatchObject({ state: 'done', loginId: null, expiresAt: null, devices: [] });
    expect(next.trusted).toEqual({
      userId: user.id,
      method: 'totp',
      fallback: false,
      at: rememberedAt,
      sessionEpoch: proof.sessionEpoch,
    });
    expect(h.events.at(-1)).toMatchObject({
      type: 'login.started',
      data: { state: 'done', trustedDevice: true },
    });
    // Without the cookie the same user is asked for a code.
    expect((await h.twoFactor.startLogin(user)).state).toBe('challenge');
    // B8, J1: the token is shown once, in the login's answer only.
    const audit = await h.store.listAudit({ userId: user.id, limit: 100 });
    expect(JSON.stringify([h.events, audit])).not.toContain(token);
  });

  it('the token lasts rememberDeviceDays, not a moment longer', async () => {
    const h = await harness({ store: store(), policy: rememberingBrowsers(7), clock: testClock() });
    const { user, manualKey } = await enrolled(h);
    const proof = await rememberedLogin(h, user, manualKey);
    const trustedDeviceToken = proof.trustedDeviceToken ?? '';
    h.clock.set((proof.trustedDeviceExpiresAt ?? 0) - 1);
    expect((await h.twoFactor.startLogin(user, { trustedDeviceToken })).state).toBe('done');
    h.clock.set(proof.trustedDeviceExpiresAt ?? 0);
    const expired = await h.twoFactor.startLogin(user, { trustedDeviceToken });
    expect([expired.state, expired.trusted]).toEqual(['challenge', null]);
  });

  it("H3: a token counts only for the user it was issued to; another user's, a guessed or a malformed one is ignored", async () => {
    const h = await harness({ store: store(), policy: rememberingBrowsers(30), clock: testClock() });
    const ada = await enrolled(h);
    const bob = await enrolled(h);
    const token = (await rememberedLogin(h, ada.user, ada.manualKey)).trustedDeviceToken ?? '';
    for (const trustedDeviceToken of [token, 'A'.repeat(43), `${token}=`, '', 'not a token']) {
      const start = await h.twoFactor.startLogin(bob.user, { trustedDeviceToken });
      expect([start.state, start.trusted]).toEqual(['challenge', null]);
    }
  });

  it('switching 2FA off revokes every remembered browser: after setting up again the old token asks for a code', async () => {
    const h = await harness({ store: store(), policy: rememberingBrowsers(30), clock: testClock() });
    const { user, manualKey } = await enrolled(h);
    const proof = await rememberedLogin(h, user, manualKey);
    await h.twoFactor.setUseTwoFactor(freshActor(user, h.clock()), user, false);
    h.clock.advance(STEP_MS);
    await enrolled(h, user);
    const start = await h.twoFactor.startLogin(user, { trustedDeviceToken: proof.trustedDeviceToken ?? '' });
    expect([start.state, start.trusted]).toEqual(['challenge', null]);
  });

  it('F6: a browser remembered after a backup code stays a fallback, and its proof is as old as that login', async () => {
    const h = await harness({ store: store(), policy: rememberingBrowsers(30), clock: testClock() });
    const { user, backupCodes } = await enrolled(h);
    const start = await h.twoFactor.startLogin(user);
    const proof = await h.twoFactor.verifyLogin({
      loginId: start.loginId ?? '',
      method: 'backup_code',
      code: backupCodes[0] ?? '',
      rememberDevice: true,
    });
    h.clock.advance(DAY_MS);
    const { trusted } = await h.twoFactor.startLogin(user, { trustedDeviceToken: proof.trustedDeviceToken });
    expect(trusted).toMatchObject({ method: 'backup_code', fallback: true, at: proof.at });
    const refused = await rejection(
      h.twoFactor.regenerateBackupCodes({
        ...user,
        reauthenticatedAt: h.clock(),
        secondFactor: { at: trusted?.at ?? 0, method: trusted?.method ?? 'backup_code' },
      }),
    );
    expect([refused.code, refused.detail?.reason]).toEqual(['policy_denied', 'fresh_auth_required']);
  });

  it('a policy without trusted devices issues no token and ignores one it is shown', async () => {
    // Two deployments over one database, before and after the policy changed.
    const remembering = serviceOver(store(), { policy: rememberingBrowsers(30) });
    const { user, manualKey } = await enrolled(remembering);
    const token = (await rememberedLogin(remembering, user, manualKey)).trustedDeviceToken ?? '';
    const strict = serviceOver(remembering.store, {
      policy: selfService,
      clock: remembering.clock,
      box: remembering.box,
    });
    const start = await strict.twoFactor.startLogin(user, { trustedDeviceToken: token });
    expect([start.state, start.trusted]).toEqual(['challenge', null]);
    strict.clock.advance(STEP_MS);
    const proof = await strict.twoFactor.verifyLogin({
      loginId: start.loginId ?? '',
      method: 'totp',
      code: appCode(manualKey, strict.clock()),
      rememberDevice: true,
    });
    expect(proof.trustedDeviceToken).toBeUndefined();
    expect(proof.trustedDeviceExpiresAt).toBeUndefined();
  });
});

describe('forgetting remembered browsers', () => {
  it('forgetTrustedDevices: every browser the user remembered asks for a code again; other users keep theirs', async () => {
    const h = await harness({ policy: rememberingBrowsers(30) });
    const ada = await enrolled(h);
    const bob = await enrolled(h);
    const adaToken = (await rememberedLogin(h, ada.user, ada.manualKey)).trustedDeviceToken ?? '';
    const bobToken = (await rememberedLogin(h, bob.user, bob.manualKey)).trustedDeviceToken ?? '';

    expect(await h.twoFactor.forgetTrustedDevices(freshActor(ada.user, h.clock()))).toEqual({ forgotten: 1 });
    expect((await h.twoFactor.startLogin(ada.user, { trustedDeviceToken: adaToken })).state).toBe(
      'challenge',
    );
    expect((await h.twoFactor.startLogin(bob.user, { trustedDeviceToken: bobToken })).state).toBe('done');
    expect(h.events.at(-3)).toMatchObject({ type: 'trusted_devices.forgotten', data: { forgotten: 1 } });
    expect(await h.twoFactor.forgetTrustedDevices(freshActor(ada.user, h.clock()))).toEqual({ forgotten: 0 });
  });
});

describe('trusted device inputs', () => {
  it('a token that is not a string, an unknown start option and a non-boolean rememberDevice are bad arguments', async () => {
    const h = await harness({ policy: rememberingBrowsers(30) });
    const { user } = await enrolled(h);
    const start = h.twoFactor.startLogin as (user: unknown, options: unknown) => Promise<unknown>;
    expect((await rejection(start(user, { trustedDeviceToken: 7 }))).code).toBe('invalid_argument');
    expect((await rejection(start(user, { rememberMe: true }))).code).toBe('invalid_argument');
    expect((await rejection(start(user, 'token'))).code).toBe('invalid_argument');
    const { loginId } = await h.twoFactor.startLogin(user);
    const verify = h.twoFactor.verifyLogin as (input: unknown) => Promise<unknown>;
    const bad = await rejection(verify({ loginId, method: 'totp', code: '123456', rememberDevice: 'yes' }));
    expect(bad.code).toBe('invalid_argument');
  });
});
