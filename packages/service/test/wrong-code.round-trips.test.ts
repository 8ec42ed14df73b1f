/**
 * A wrong code is counted and audited in one store step (`failLogin`): the user's and the device's
 * counters, the pending login's attempt and the `login.failed` (or `enrollment.failed`) record commit
 * together, after the reads that decide the answer, and no method counts in separate calls
 * (`registerFailure`, a non-matching `consumeChallenge`, `appendAudit`) any more. The record and the
 * event the host hears carry the counts of that step (E1, E2, H8).
 */
import { MemoryStore } from '@secondfactor/store';
import { describe, expect, it } from 'vitest';
import { appCode, asActor, enrolled, newUser, otherCode, rejection } from './fixtures';
import { emailCode, oobHarness, withEmail, wrongCode } from './oob-helpers';
import { recording, serviceOver } from './service-helpers';

/** The calls that counted or audited apart from `failLogin` before it existed. */
const SEPARATE = ['registerFailure', 'consumeChallenge', 'appendAudit'];

describe('a wrong code is one store step after the reads', () => {
  it('E1, E2: a wrong backup code: the login, the refused completion, the lock and login read, then failLogin on the user', async () => {
    const recorded = recording(new MemoryStore());
    const h = serviceOver(recorded.store);
    const { user } = await enrolled(h);
    const { backupCodes: theirs } = await enrolled(h);
    const loginId = (await h.twoFactor.startLogin(user)).loginId ?? '';
    recorded.calls.length = 0;
    const error = await rejection(
      h.twoFactor.verifyLogin({ loginId, method: 'backup_code', code: theirs[0] ?? '' }),
    );
    expect(error.code).toBe('otp_invalid');
    expect(recorded.calls).toEqual([
      'getChallenge',
      'completeLogin',
      'getFailures',
      'getChallenge',
      'failLogin',
    ]);
    expect(h.events.at(-1)).toMatchObject({
      type: 'login.failed',
      data: { method: 'backup_code', failures: 1, locked: false },
    });
    const [record] = await h.store.listAudit({ userId: user.id, limit: 1 });
    expect(record).toEqual(h.events.at(-1));
  });

  it('E1, E2: a wrong e-mail code: the login, the lock read, the code challenge, then failLogin on the user and the login', async () => {
    const recorded = recording(new MemoryStore());
    const h = oobHarness({ store: recorded.store });
    const { user, address } = await withEmail(h);
    const loginId = (await h.twoFactor.startLogin(user)).loginId ?? '';
    await h.twoFactor.sendLoginCode({ loginId, method: 'email' });
    const code = emailCode(h, address);
    recorded.calls.length = 0;
    const error = await rejection(
      h.twoFactor.verifyLogin({ loginId, method: 'email', code: wrongCode(code) }),
    );
    expect(error.code).toBe('otp_invalid');
    // consumeChallenge here is the code's own check (its challenge counts the mismatch), not the login's count.
    expect(recorded.calls).toEqual(['getChallenge', 'getFailures', 'consumeChallenge', 'failLogin']);
    const challengeId = loginId.split('.')[0] ?? '';
    expect((await h.store.getChallenge(user.id, challengeId))?.attempts).toBe(1);
    expect(h.events.at(-1)).toMatchObject({ type: 'login.failed', data: { method: 'email', failures: 1 } });
  });

  it('E5: a wrong confirmation code of a set-up counts on the user and records enrollment.failed in failLogin, on no login', async () => {
    const recorded = recording(new MemoryStore());
    const h = serviceOver(recorded.store);
    const user = newUser();
    const start = await h.twoFactor.beginEnrollment(asActor(user), { method: 'totp' });
    recorded.calls.length = 0;
    const error = await rejection(
      h.twoFactor.confirmEnrollment(asActor(user), {
        enrollmentId: start.enrollmentId,
        code: otherCode(appCode(start.manualKey, h.clock())),
      }),
    );
    expect(error.code).toBe('otp_invalid');
    expect(recorded.calls.at(-1)).toBe('failLogin');
    expect(recorded.calls.filter((call) => call === 'failLogin')).toHaveLength(1);
    expect(recorded.calls.filter((call) => SEPARATE.includes(call))).toEqual([]);
    expect(h.events.at(-1)).toMatchObject({
      type: 'enrollment.failed',
      data: { method: 'totp', enrollmentId: start.enrollmentId, failures: 1, locked: false },
    });
    expect((await h.store.getFailures(`user:${user.id}`, { now: h.clock() })).count).toBe(1);
  });
});
