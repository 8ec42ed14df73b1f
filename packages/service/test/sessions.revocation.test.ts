/**
 * Session epochs (checklist I5, H9): every login resolves the epoch its session keeps; a change that signs
 * the user's other sessions out bumps the epoch before and after itself, tells the host's
 * `sessions.revokeOthers` (keeping the request's own session only when the user acted himself) and
 * resolves the new epoch; `isSessionCurrent` says whether a session still counts as verified.
 */
import { accountAdmin, multiMethod, type PolicyConfig, selfService } from '@secondfactor/policy';
import { MemoryStore } from '@secondfactor/store';
import { describe, expect, it } from 'vitest';
import {
  appCode,
  asActor,
  describeEachStore,
  enrolled,
  newUser,
  rejection,
  STEP_MS,
  suiteStore,
  testClock,
} from './fixtures';
import {
  addApp,
  intercepting,
  provedAt,
  recording,
  selfServiceTwoApps,
  serviceOver,
  signIn,
  storeDown,
} from './service-helpers';

const TENANT = 'acme';
let next = 0;
/** A user of the accountAdmin product (multi-tenant), new for each call. */
const member = () => ({ id: `member-${++next}`, roles: [] as string[], tenantId: TENANT });
const ADMIN = { id: 'admin-1', roles: ['admin'], tenantId: TENANT };
/** The administrator right after re-entering his password. */
const adminAt = (at: number) => ({ ...ADMIN, reauthenticatedAt: at, secondFactor: null });

const keepSessionsOnDisable: PolicyConfig = { ...accountAdmin, sessions: { revokeOthersOnDisable: false } };

describeEachStore('session revocation', (openStore) => {
  const store = suiteStore(openStore);

  it('I5: a login resolves the epoch its session keeps; an admin reset signs every session out, the admin keeps none', async () => {
    const h = serviceOver(store(), { policy: accountAdmin });
    const { user, manualKey } = await enrolled(h, member());
    const proof = await signIn(h, user, manualKey);
    expect(proof.sessionEpoch).toBe(await h.store.getSessionEpoch(user.id));
    expect(await h.twoFactor.isSessionCurrent(user.id, proof.sessionEpoch)).toBe(true);

    // The admin's own request session is not the user's: nothing is kept even when he names it.
    const change = await h.twoFactor.reset(adminAt(h.clock()), user, { sessionId: 'admin-session' });
    expect(change.sessionEpoch).toBe(proof.sessionEpoch + 2);
    expect(await h.twoFactor.isSessionCurrent(user.id, proof.sessionEpoch)).toBe(false);
    expect(await h.twoFactor.isSessionCurrent(user.id, change.sessionEpoch ?? -1)).toBe(true);
    expect(h.revoked).toEqual([{ userId: user.id, exceptSessionId: undefined }]);
    expect(h.events.find((e) => e.type === 'sessions.revoked')).toMatchObject({
      userId: user.id,
      actorId: ADMIN.id,
      data: { sessionEpoch: change.sessionEpoch, cause: 'reset' },
    });
  });

  it("I5: the user's own reset and switching off keep the request's session and end every other", async () => {
    const h = serviceOver(store(), { policy: accountAdmin });
    const { user, manualKey } = await enrolled(h, member());
    const other = await signIn(h, user, manualKey);
    const current = await signIn(h, user, manualKey);
    const own = await h.twoFactor.resetOwn(provedAt(user, current.at, current.method), {
      sessionId: 'session-b',
    });
    expect(h.revoked).toEqual([{ userId: user.id, exceptSessionId: 'session-b' }]);
    expect(await h.twoFactor.isSessionCurrent(user.id, other.sessionEpoch)).toBe(false);
    expect(await h.twoFactor.isSessionCurrent(user.id, own.sessionEpoch ?? -1)).toBe(true);

    const selfOwned = serviceOver(store(), { policy: selfService, clock: h.clock });
    const ada = await enrolled(selfOwned);
    const before = await signIn(selfOwned, ada.user, ada.manualKey);
    const off = await selfOwned.twoFactor.setUseTwoFactor(
      provedAt(ada.user, before.at, 'totp'),
      ada.user,
      false,
      {
        sessionId: 'session-c',
      },
    );
    expect(off.sessionEpoch).toBe(before.sessionEpoch + 2);
    expect(selfOwned.revoked).toEqual([{ userId: ada.user.id, exceptSessionId: 'session-c' }]);
    expect(selfOwned.events.find((e) => e.type === 'sessions.revoked')?.data).toEqual({
      sessionEpoch: off.sessionEpoch,
      cause: 'disabled',
    });
  });

  it('H9, I5: removing one of two apps ends the sessions it verified', async () => {
    const h = serviceOver(store(), { policy: selfServiceTwoApps });
    const { user, manualKey, confirmed } = await enrolled(h);
    const second = await addApp(h, user);
    const viaSecond = await signIn(h, user, second.manualKey, second.credentialId);
    const viaFirst = await signIn(h, user, manualKey, confirmed.credentialId);
    const change = await h.twoFactor.removeDevice(
      provedAt(user, viaFirst.at, 'totp'),
      { deviceId: second.credentialId },
      { sessionId: 'session-first' },
    );
    expect(await h.twoFactor.isSessionCurrent(user.id, viaSecond.sessionEpoch)).toBe(false);
    expect(change.sessionEpoch).toBe(viaFirst.sessionEpoch + 2);
    expect(h.revoked).toEqual([{ userId: user.id, exceptSessionId: 'session-first' }]);
    expect(h.events.find((e) => e.type === 'sessions.revoked')?.data).toMatchObject({
      cause: 'device_removed',
    });
  });

  it("I5: enabling 2FA signs the other sessions out where the policy says so (multiMethod's warning), not elsewhere", async () => {
    // "Enabling 2-Step Verification will reset all active sessions except for the current one."
    const h = serviceOver(store(), { policy: multiMethod });
    const user = newUser();
    // A password-only login keeps an epoch too, so the session that had no 2FA can be signed out.
    const passwordOnly = await h.twoFactor.startLogin(user);
    expect([passwordOnly.state, passwordOnly.sessionEpoch]).toEqual(['done', 0]);
    const setup = await h.twoFactor.beginEnrollment(asActor(user), { method: 'totp' });
    const confirmed = await h.twoFactor.confirmEnrollment(asActor(user), {
      enrollmentId: setup.enrollmentId,
      code: appCode(setup.manualKey, h.clock()),
      sessionId: 'session-now',
    });
    expect(confirmed.sessionEpoch).toBe(2);
    expect(await h.twoFactor.isSessionCurrent(user.id, passwordOnly.sessionEpoch ?? -1)).toBe(false);
    expect(await h.twoFactor.isSessionCurrent(user.id, confirmed.sessionEpoch ?? -1)).toBe(true);
    expect(h.revoked).toEqual([{ userId: user.id, exceptSessionId: 'session-now' }]);
    expect(h.events.find((e) => e.type === 'sessions.revoked')?.data).toEqual({
      sessionEpoch: 2,
      cause: 'enabled',
    });

    const quiet = serviceOver(store(), { policy: selfService, clock: h.clock });
    const ada = await enrolled(quiet);
    expect(ada.confirmed.sessionEpoch).toBeNull();
    expect(await quiet.store.getSessionEpoch(ada.user.id)).toBe(0);
    expect(quiet.revoked).toEqual([]);
  });

  it('I5: where the policy keeps sessions on a reset, nothing is revoked and the change says so', async () => {
    const h = serviceOver(store(), { policy: keepSessionsOnDisable });
    const { user, manualKey } = await enrolled(h, member());
    const proof = await signIn(h, user, manualKey);
    expect(await h.twoFactor.reset(adminAt(h.clock()), user)).toEqual({ sessionEpoch: null });
    expect(await h.twoFactor.isSessionCurrent(user.id, proof.sessionEpoch)).toBe(true);
    expect(h.revoked).toEqual([]);
    expect(h.events.map((e) => e.type)).not.toContain('sessions.revoked');
  });

  it('I5: the epoch is bumped before the change and after it, and only then is the host told', async () => {
    const recorded = recording(store());
    const h = serviceOver(recorded.store, {
      policy: accountAdmin,
      revokeOthers: () => {
        recorded.calls.push('revokeOthers');
      },
    });
    const { user } = await enrolled(h, member());
    recorded.calls.length = 0;
    await h.twoFactor.reset(adminAt(h.clock()), user);
    const steps = recorded.calls.filter((c) => ['bumpSessionEpoch', 'resetUser', 'revokeOthers'].includes(c));
    expect(steps).toEqual(['bumpSessionEpoch', 'resetUser', 'bumpSessionEpoch', 'revokeOthers']);
  });

  it('I5: a login that completes while the reset runs does not outlive the reset', async () => {
    let racing: Promise<number> | undefined;
    let login: { loginId: string; code: string } | undefined;
    const h = serviceOver(
      intercepting(store(), 'resetUser', async (original, userId) => {
        // The user's other browser completes its login between the first bump and the removal.
        if (racing === undefined && login !== undefined) {
          racing = h.twoFactor
            .verifyLogin({ loginId: login.loginId, method: 'totp', code: login.code })
            .then((proof) => proof.sessionEpoch);
          await racing;
        }
        return original(userId);
      }),
      { policy: accountAdmin },
    );
    const { user, manualKey } = await enrolled(h, member());
    const before = await h.store.getSessionEpoch(user.id);
    h.clock.advance(STEP_MS);
    const start = await h.twoFactor.startLogin(user);
    login = { loginId: start.loginId ?? '', code: appCode(manualKey, h.clock()) };

    const change = await h.twoFactor.reset(adminAt(h.clock()), user);
    const racedEpoch = await racing;
    expect(racedEpoch).toBe(before + 1);
    expect(change.sessionEpoch).toBe(before + 2);
    expect(await h.twoFactor.isSessionCurrent(user.id, racedEpoch ?? before)).toBe(false);
  });

  it('I5: a reset cut short by the store has already signed the sessions out', async () => {
    let failing = false;
    const h = serviceOver(
      intercepting(store(), 'resetUser', (original, userId) => {
        if (failing) throw storeDown();
        return original(userId);
      }),
      { policy: accountAdmin },
    );
    const { user, manualKey } = await enrolled(h, member());
    const proof = await signIn(h, user, manualKey);
    failing = true;
    const error = await rejection(h.twoFactor.reset(adminAt(h.clock()), user));
    expect(error.code).toBe('store_unavailable');
    expect(await h.twoFactor.isSessionCurrent(user.id, proof.sessionEpoch)).toBe(false);
    expect(h.revoked).toEqual([]);
  });

  it('I5: a failing revokeOthers hook reaches the caller after the change; the epoch already revokes', async () => {
    const h = serviceOver(store(), {
      policy: accountAdmin,
      revokeOthers: () => {
        throw new Error('session table unavailable');
      },
    });
    const { user, manualKey } = await enrolled(h, member());
    const proof = await signIn(h, user, manualKey);
    await expect(h.twoFactor.reset(adminAt(h.clock()), user)).rejects.toThrow('session table unavailable');
    expect(await h.store.listCredentials(user.id)).toEqual([]);
    expect(await h.twoFactor.isSessionCurrent(user.id, proof.sessionEpoch)).toBe(false);
    expect((await h.twoFactor.startLogin(user)).state).toBe('enroll');
  });

  it("H8: a reset is audited even when the host's revokeOthers hook fails", async () => {
    const h = serviceOver(store(), {
      policy: accountAdmin,
      revokeOthers: () => {
        throw new Error('session table unavailable');
      },
    });
    const { user } = await enrolled(h, member());
    await expect(h.twoFactor.reset(adminAt(h.clock()), user)).rejects.toThrow('session table unavailable');
    const audit = await h.store.listAudit({ userId: user.id, limit: 100 });
    expect(audit.map((e) => e.type)).toContain('two_factor.reset');
  });

  it("H8: enabling is audited even when the host's revokeOthers hook fails", async () => {
    const h = serviceOver(store(), {
      policy: { ...selfService, sessions: { revokeOthersOnEnable: true } },
      revokeOthers: () => {
        throw new Error('session table unavailable');
      },
    });
    const user = newUser();
    const setup = await h.twoFactor.beginEnrollment(asActor(user), { method: 'totp' });
    await expect(
      h.twoFactor.confirmEnrollment(asActor(user), {
        enrollmentId: setup.enrollmentId,
        code: appCode(setup.manualKey, h.clock()),
      }),
    ).rejects.toThrow('session table unavailable');
    const audit = await h.store.listAudit({ userId: user.id, limit: 100 });
    expect(audit.map((e) => e.type)).toContain('enrollment.confirmed');
  });

  it("H3: one user's change leaves another user's sessions alone; revocation needs no hook", async () => {
    const h = serviceOver(store(), { policy: accountAdmin, revokeOthers: false });
    const ada = await enrolled(h, member());
    const bob = await enrolled(h, member());
    const adaProof = await signIn(h, ada.user, ada.manualKey);
    const bobProof = await signIn(h, bob.user, bob.manualKey);
    const change = await h.twoFactor.reset(adminAt(h.clock()), ada.user);
    expect(change.sessionEpoch).toBe(adaProof.sessionEpoch + 2);
    expect(await h.twoFactor.isSessionCurrent(ada.user.id, adaProof.sessionEpoch)).toBe(false);
    expect(await h.twoFactor.isSessionCurrent(bob.user.id, bobProof.sessionEpoch)).toBe(true);
  });
});

describe('isSessionCurrent', () => {
  it('answers for a user never seen (epoch 0) and rejects what is not a user id and an epoch', async () => {
    const h = serviceOver(new MemoryStore());
    expect(await h.twoFactor.isSessionCurrent('nobody', 0)).toBe(true);
    const ask = h.twoFactor.isSessionCurrent as (userId: unknown, epoch: unknown) => Promise<boolean>;
    for (const [userId, epoch] of [
      ['u1', -1],
      ['u1', 1.5],
      ['u1', '0'],
      ['u1', Number.NaN],
      ['u1', Number.MAX_SAFE_INTEGER + 1],
      ['', 0],
      [7, 0],
    ] as const) {
      expect((await rejection(ask(userId, epoch))).code).toBe('invalid_argument');
    }
  });
});

describe('the session epoch cache (sessionEpochCacheSeconds)', () => {
  it('I5: reads a user epoch once per lifetime; a revocation through this service is seen at once', async () => {
    const { store, calls } = recording(new MemoryStore());
    const h = serviceOver(store, { sessionEpochCacheSeconds: 5 });
    const { user, manualKey } = await enrolled(h);
    const { sessionEpoch } = await signIn(h, user, manualKey);
    calls.length = 0;
    for (let i = 0; i < 10; i++) expect(await h.twoFactor.isSessionCurrent(user.id, sessionEpoch)).toBe(true);
    expect(calls.filter((call) => call === 'getSessionEpoch')).toHaveLength(1);

    // Switching 2FA off through this service signs the session out on its very next check.
    await h.twoFactor.setUseTwoFactor(provedAt(user, h.clock(), 'totp'), user, false);
    expect(await h.twoFactor.isSessionCurrent(user.id, sessionEpoch)).toBe(false);
  });

  it("I5, H9: another process's revocation is seen at most the lifetime later", async () => {
    const shared = new MemoryStore();
    const clock = testClock();
    const here = serviceOver(shared, { clock, sessionEpochCacheSeconds: 5 });
    const there = serviceOver(shared, { clock, box: here.box });
    const { user, manualKey } = await enrolled(here);
    const { sessionEpoch } = await signIn(here, user, manualKey);
    expect(await here.twoFactor.isSessionCurrent(user.id, sessionEpoch)).toBe(true);

    await there.twoFactor.setUseTwoFactor(provedAt(user, clock(), 'totp'), user, false);
    // Within the lifetime this process still answers from what it read…
    clock.advance(4_999);
    expect(await here.twoFactor.isSessionCurrent(user.id, sessionEpoch)).toBe(true);
    // …and once it is over, from the store.
    clock.advance(1);
    expect(await here.twoFactor.isSessionCurrent(user.id, sessionEpoch)).toBe(false);
  });

  it('is off by default, and takes 0 to 60 whole seconds', async () => {
    const { store, calls } = recording(new MemoryStore());
    const h = serviceOver(store);
    calls.length = 0;
    await h.twoFactor.isSessionCurrent('u1', 0);
    await h.twoFactor.isSessionCurrent('u1', 0);
    expect(calls.filter((call) => call === 'getSessionEpoch')).toHaveLength(2);
    for (const bad of [-1, 61, 1.5, '5']) {
      const error = await rejection(
        (async () => serviceOver(new MemoryStore(), { sessionEpochCacheSeconds: bad as number }))(),
      );
      expect([error.code, error.message]).toEqual([
        'invalid_argument',
        'options.sessionEpochCacheSeconds must be a whole number of seconds from 0 to 60',
      ]);
    }
  });
});
