/**
 * Throttling at the service (checklist E1, E2, E3, E5, E6, E8): the user's failures count across his
 * pending logins and across concurrent requests, the limit locks him even against the right code, the
 * lock reports how long it lasts (`retryAfterMs`) and lifts exactly then on the injected clock. The
 * selfService story (story.self-service.test.ts) walks one lockout in order; these pin the counts.
 */
import { createPolicy, type PolicyConfig, selfService } from '@secondfactor/policy';
import { retryAfterMs } from '@secondfactor/service';
import type { SecondFactorStore } from '@secondfactor/store';
import { describe, expect, it } from 'vitest';
import {
  appCode,
  asActor,
  enrolled,
  freshActor,
  type Harness,
  harness,
  newUser,
  otherCode,
  rejection,
  STEP_MS,
  STORES,
} from './fixtures';

const limitsOf = (policy: PolicyConfig) => createPolicy(policy).failureLimits();
const { maxFailures: LIMIT, lockoutMs: LOCKOUT_MS } = limitsOf(selfService);

/** An enrolled user one step after his set-up, so the app's current code is unused. */
async function ready(policy: PolicyConfig = selfService, store?: SecondFactorStore) {
  const h = await harness({ policy, ...(store === undefined ? {} : { store }) });
  const { user, manualKey, backupCodes } = await enrolled(h);
  h.clock.advance(STEP_MS);
  const code = () => appCode(manualKey, h.clock());
  return { h, user, manualKey, backupCodes, code };
}

/** A new pending login of `user` answered with `code` by TOTP. */
async function answer(h: Harness, user: { id: string; roles: string[] }, code: string) {
  const { loginId } = await h.twoFactor.startLogin(user);
  return h.twoFactor.verifyLogin({ loginId: loginId ?? '', method: 'totp', code });
}

const failures = (h: Harness, userId: string) => h.store.getFailures(`user:${userId}`, { now: h.clock() });

async function outcomes(calls: Promise<unknown>[]) {
  const settled = await Promise.allSettled(calls);
  return settled.map((result) =>
    result.status === 'fulfilled'
      ? { code: 'ok', wait: undefined }
      : { code: (result.reason as { code: string }).code, wait: retryAfterMs(result.reason) },
  );
}

describe('throttling', () => {
  it('E1, E2, E3: each wrong code counts on the user whatever login it answers; a new login resets nothing; the lock refuses the right code', async () => {
    const { h, user, code } = await ready();
    for (let failure = 1; failure < LIMIT; failure++) {
      // Every wrong code on a login of its own, as a user who signs in with his password again.
      const error = await rejection(answer(h, user, otherCode(code())));
      expect([error.code, error.message]).toEqual(['otp_invalid', 'Otp invalid!']);
      expect(await failures(h, user.id)).toEqual({ count: failure, lockedUntil: null });
    }
    const last = await rejection(answer(h, user, otherCode(code())));
    expect([last.code, retryAfterMs(last)]).toEqual(['locked_out', LOCKOUT_MS]);
    expect(await failures(h, user.id)).toEqual({ count: LIMIT, lockedUntil: h.clock() + LOCKOUT_MS });

    const right = await rejection(answer(h, user, code()));
    expect([right.code, retryAfterMs(right)]).toEqual(['locked_out', LOCKOUT_MS]);
    // Audited (J2): the wrong code that reached the limit as `login.failed`, the right one as the lock's.
    expect(h.events.filter((event) => event.type === 'login.locked_out')).toHaveLength(1);
  });

  it('E1, E8: retryAfterMs counts down on the injected clock and the lock lifts exactly when it ends', async () => {
    const { h, user, code } = await ready();
    for (let failure = 0; failure < LIMIT; failure++) await rejection(answer(h, user, otherCode(code())));

    h.clock.advance(LOCKOUT_MS - 1);
    const lastMoment = await rejection(answer(h, user, code()));
    expect([lastMoment.code, retryAfterMs(lastMoment)]).toEqual(['locked_out', 1]);

    h.clock.advance(1);
    const proof = await answer(h, user, code());
    expect(proof).toMatchObject({ userId: user.id, method: 'totp', at: h.clock() });
    // The success cleared the counter (E6).
    expect(await failures(h, user.id)).toEqual({ count: 0, lockedUntil: null });
  });

  it('E8: retryAfterMs reads a lock only', async () => {
    const { h, user, code } = await ready();
    const invalid = await rejection(answer(h, user, otherCode(code())));
    expect(retryAfterMs(invalid)).toBeUndefined();
    expect(retryAfterMs(new Error('locked_out'))).toBeUndefined();
    expect(retryAfterMs({ code: 'locked_out', detail: { retryAfterMs: 5 } })).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });

  it('E1: with a back-off factor of 2 the second lock lasts twice as long as the first', async () => {
    const policy: PolicyConfig = { ...selfService, attempts: { maxFailures: 3, backoffFactor: 2 } };
    const { h, user, code } = await ready(policy);
    const { maxFailures, lockoutMs } = limitsOf(policy);
    const lockOnce = async () => {
      let error = await rejection(answer(h, user, otherCode(code())));
      for (let failure = 1; failure < maxFailures; failure++) {
        error = await rejection(answer(h, user, otherCode(code())));
      }
      return error;
    };
    const first = await lockOnce();
    expect([first.code, retryAfterMs(first)]).toEqual(['locked_out', lockoutMs]);
    h.clock.advance(lockoutMs);
    const second = await lockOnce();
    expect([second.code, retryAfterMs(second)]).toEqual(['locked_out', 2 * lockoutMs]);
    h.clock.advance(2 * lockoutMs - 1);
    expect((await rejection(answer(h, user, code()))).code).toBe('locked_out');
    h.clock.advance(1);
    expect((await answer(h, user, code())).method).toBe('totp');
  });

  it('E5: wrong confirmation codes of a new app count on the same counter; locked, even its right code is refused', async () => {
    const h = await harness();
    const user = newUser();
    const actor = asActor(user);
    const setup = await h.twoFactor.beginEnrollment(actor, { method: 'totp' });
    const right = appCode(setup.manualKey, h.clock());
    const confirm = (code: string) =>
      h.twoFactor.confirmEnrollment(actor, { enrollmentId: setup.enrollmentId, code });
    for (let failure = 1; failure < LIMIT; failure++) {
      expect((await rejection(confirm(otherCode(right)))).code).toBe('otp_invalid');
    }
    const last = await rejection(confirm(otherCode(right)));
    expect([last.code, retryAfterMs(last)]).toEqual(['locked_out', LOCKOUT_MS]);
    const refused = await rejection(confirm(right));
    expect([refused.code, retryAfterMs(refused)]).toEqual(['locked_out', LOCKOUT_MS]);
    expect(await h.store.listCredentials(user.id)).toEqual([]);

    // After the lock, a new set-up (the first one has expired by now) is confirmed.
    h.clock.advance(LOCKOUT_MS);
    const again = await h.twoFactor.beginEnrollment(actor, { method: 'totp' });
    const confirmed = await h.twoFactor.confirmEnrollment(actor, {
      enrollmentId: again.enrollmentId,
      code: appCode(again.manualKey, h.clock()),
    });
    expect(confirmed.credentialId).toBe(again.enrollmentId);
  });

  it('E5, H4: failures of logins lock the confirmation of a replacement app, whose right code is refused', async () => {
    const { h, user, code } = await ready();
    const [device] = await h.twoFactor.listDevices(asActor(user), user);
    const deviceId = device?.id ?? '';
    for (let failure = 0; failure < LIMIT; failure++) await rejection(answer(h, user, otherCode(code())));
    // A new phone: the set-up of a replacement asks for a recent second factor of the session.
    const replacement = await h.twoFactor.beginEnrollment(freshActor(user, h.clock()), {
      method: 'totp',
      replaces: deviceId,
    });
    const refused = await rejection(
      h.twoFactor.confirmEnrollment(freshActor(user, h.clock()), {
        enrollmentId: replacement.enrollmentId,
        code: appCode(replacement.manualKey, h.clock()),
        replaces: deviceId,
      }),
    );
    expect([refused.code, retryAfterMs(refused)]).toEqual(['locked_out', LOCKOUT_MS]);
    expect((await h.store.listCredentials(user.id)).map((c) => c.id)).toEqual([deviceId]);
  });

  it('E6: a success clears the failures counted before it', async () => {
    const { h, user, code, backupCodes } = await ready();
    for (let failure = 0; failure < LIMIT - 1; failure++) await rejection(answer(h, user, otherCode(code())));
    await answer(h, user, code());
    expect(await failures(h, user.id)).toEqual({ count: 0, lockedUntil: null });
    for (let failure = 0; failure < LIMIT - 1; failure++) {
      expect((await rejection(answer(h, user, otherCode(code())))).code).toBe('otp_invalid');
    }
    // A backup code clears them as well: the user's counter is one for every method.
    const { loginId } = await h.twoFactor.startLogin(user);
    await h.twoFactor.verifyLogin({
      loginId: loginId ?? '',
      method: 'backup_code',
      code: backupCodes[0] ?? '',
    });
    expect(await failures(h, user.id)).toEqual({ count: 0, lockedUntil: null });
  });
});

// The counting is the store's one atomic step: the concurrent cases run on the memory store and on the
// servers when they are set (PGlite runs one statement at a time, so it races nothing).
describe.each(STORES.filter(([name]) => name !== 'pglite'))(
  'throttling under concurrency on %s',
  (_name, openStore) => {
    it('E1, E2: N concurrent wrong codes below the limit count exactly N failures; the next one locks', async () => {
      const policy: PolicyConfig = { ...selfService, attempts: { maxFailures: 20 } };
      const { h, user, code } = await ready(policy, await openStore());
      const n = limitsOf(policy).maxFailures - 1;
      const logins = await Promise.all(Array.from({ length: n }, () => h.twoFactor.startLogin(user)));
      const wrong = otherCode(code());
      const answers = await outcomes(
        logins.map(({ loginId }) =>
          h.twoFactor.verifyLogin({ loginId: loginId ?? '', method: 'totp', code: wrong }),
        ),
      );
      expect(answers.map((a) => a.code)).toEqual(Array(n).fill('otp_invalid'));
      // No failure lost to a concurrent one: the counter is a single atomic step in the store.
      expect(await failures(h, user.id)).toEqual({ count: n, lockedUntil: null });
      const next = await rejection(answer(h, user, wrong));
      expect([next.code, retryAfterMs(next)]).toEqual(['locked_out', LOCKOUT_MS]);
      await h.store.close();
    });

    it('E1, E8: more concurrent wrong codes than the limit: at most limit − 1 answer "Otp invalid!", the rest are refused by the lock with its full wait', async () => {
      const { h, user, code } = await ready(selfService, await openStore());
      const n = 3 * LIMIT;
      const logins = await Promise.all(Array.from({ length: n }, () => h.twoFactor.startLogin(user)));
      const wrong = otherCode(code());
      const answers = await outcomes(
        logins.map(({ loginId }) =>
          h.twoFactor.verifyLogin({ loginId: loginId ?? '', method: 'totp', code: wrong }),
        ),
      );
      const invalid = answers.filter((a) => a.code === 'otp_invalid');
      const locked = answers.filter((a) => a.code === 'locked_out');
      expect(invalid.length + locked.length).toBe(n);
      expect(invalid.length).toBeLessThanOrEqual(LIMIT - 1);
      // The clock stands still: every lock answer reports the whole lockout.
      expect(locked.map((a) => a.wait)).toEqual(Array(locked.length).fill(LOCKOUT_MS));
      expect((await failures(h, user.id)).lockedUntil).toBe(h.clock() + LOCKOUT_MS);
      expect(
        h.events.filter((event) => event.type === 'login.failed' && event.data.locked === false).length,
      ).toBeLessThanOrEqual(LIMIT - 1);
      const right = await rejection(answer(h, user, code()));
      expect(right.code).toBe('locked_out');
      await h.store.close();
    });
  },
);
