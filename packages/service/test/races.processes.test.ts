/**
 * Races through the service across processes (checklist D3, D4, H1, I3): the test process sets the user
 * up, then 4 worker processes, each with its own connection to the same PostgreSQL schema or Redis key
 * prefix and the same service (same keys, policy and frozen time), fire the 50 calls of a race together.
 * Exactly one call succeeds; every other is refused with one of the race's expected codes, and the store's
 * audit log holds exactly one success. Each server is skipped, with the reason printed, when its URL is
 * unset. (D5, the same race for e-mail and SMS codes, waits for the service to deliver such codes.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appCode, asActor, newUser, STEP_MS, testClock } from './fixtures';
import {
  buildService,
  newServiceRecipe,
  type OpenedStore,
  type Outcome,
  openStore,
  type RaceCall,
  RacePool,
  SERVERS,
} from './process-harness';

const N = 50;
const WORKERS = 4;

for (const server of SERVERS) {
  if (server.skip !== undefined)
    console.info(`[service] skipping the races on ${server.name}: ${server.skip}`);
}

/** How many calls resolved, and the codes of the others. */
function tally(outcomes: readonly Outcome[]) {
  return {
    ok: outcomes.filter((outcome) => outcome === 'ok').length,
    refused: new Set(outcomes.filter((outcome) => outcome !== 'ok')),
  };
}

describe.each(SERVERS)('races across $name processes', (server) => {
  const service = newServiceRecipe();
  let opened: OpenedStore | undefined;
  let pool: RacePool | undefined;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    if (server.skip !== undefined) return;
    const created = await server.create();
    drop = created.drop;
    opened = await openStore(created.recipe);
    // Forked once for the four races: starting processes costs more than racing them.
    pool = await RacePool.start(WORKERS, { store: created.recipe, service });
  });
  afterAll(async () => {
    await pool?.close();
    await opened?.close();
    await drop?.();
  });

  const store = () => {
    if (opened === undefined) throw new Error('the store is open during the tests only');
    return opened.store;
  };

  /** A service of the test process over the same store, on a clock of its own. */
  const local = () => {
    const clock = testClock();
    return { clock, twoFactor: buildService(store(), service, clock) };
  };

  /** Fires `calls` from the workers, every worker's clock at `now`; resolves every call's outcome. */
  async function race(calls: RaceCall[], now: number): Promise<Outcome[]> {
    if (pool === undefined) throw new Error('no workers');
    const outcomes = await pool.race(now, calls);
    expect(outcomes).toHaveLength(calls.length);
    return outcomes;
  }

  /** A user with a confirmed app, and his manual key and backup codes. */
  async function enrolledUser(twoFactor: ReturnType<typeof local>['twoFactor'], now: number) {
    const user = newUser();
    const start = await twoFactor.beginEnrollment(asActor(user), { method: 'totp' });
    const confirmed = await twoFactor.confirmEnrollment(asActor(user), {
      enrollmentId: start.enrollmentId,
      code: appCode(start.manualKey, now),
    });
    return { user, manualKey: start.manualKey, backupCodes: confirmed.backupCodes ?? [] };
  }

  const succeeded = async (userId: string, type: string) =>
    (await store().listAudit({ userId, limit: 1000 })).filter((event) => event.type === type).length;

  it.skipIf(server.skip !== undefined)(
    `D3, E2: ${N} pending logins of one user, one TOTP code, ${WORKERS} processes: exactly one login passes`,
    async () => {
      const { clock, twoFactor } = local();
      const { user, manualKey } = await enrolledUser(twoFactor, clock());
      clock.advance(STEP_MS);
      const logins = await Promise.all(Array.from({ length: N }, () => twoFactor.startLogin(user)));
      const code = appCode(manualKey, clock());
      const outcomes = await race(
        logins.map(({ loginId }) => ({ method: 'verifyLogin', args: [{ loginId, method: 'totp', code }] })),
        clock(),
      );
      const { ok, refused } = tally(outcomes);
      expect(ok).toBe(1);
      // The losers matched a step the winner recorded: a replay, not a wrong code (nothing is counted).
      expect([...refused]).toEqual(['otp_replayed']);
      expect(await succeeded(user.id, 'login.succeeded')).toBe(1);
      expect(await succeeded(user.id, 'login.replayed')).toBe(N - 1);
    },
  );

  it.skipIf(server.skip !== undefined)(
    `D3, I3: one pending login, one TOTP code, ${N} calls from ${WORKERS} processes: it completes once, one session`,
    async () => {
      const { clock, twoFactor } = local();
      const { user, manualKey } = await enrolledUser(twoFactor, clock());
      clock.advance(STEP_MS);
      const { loginId } = await twoFactor.startLogin(user);
      const code = appCode(manualKey, clock());
      const calls: RaceCall[] = Array.from({ length: N }, () => ({
        method: 'verifyLogin',
        args: [{ loginId, method: 'totp', code }],
      }));
      const { ok, refused } = tally(await race(calls, clock()));
      expect(ok).toBe(1);
      // A loser that read the login after the winner completed it finds it ended; one that read it
      // before finds the step used.
      for (const code of refused) expect(['otp_replayed', 'challenge_expired']).toContain(code);
      expect(await succeeded(user.id, 'login.succeeded')).toBe(1);
    },
  );

  it.skipIf(server.skip !== undefined)(
    `D4, F9: ${N} pending logins, one backup code, ${WORKERS} processes: one login passes, one code is used`,
    async () => {
      const { clock, twoFactor } = local();
      const { user, backupCodes } = await enrolledUser(twoFactor, clock());
      const logins = await Promise.all(Array.from({ length: N }, () => twoFactor.startLogin(user)));
      const code = backupCodes[0];
      const outcomes = await race(
        logins.map(({ loginId }) => ({
          method: 'verifyLogin',
          args: [{ loginId, method: 'backup_code', code }],
        })),
        clock(),
      );
      const { ok, refused } = tally(outcomes);
      expect(ok).toBe(1);
      // A used backup code is a wrong code ("Otp invalid!", F3); the failures it counts lock the user.
      for (const code of refused) expect(['otp_invalid', 'locked_out']).toContain(code);
      expect((await store().getBackupCodeSet(user.id))?.remaining).toBe(backupCodes.length - 1);
      expect(await succeeded(user.id, 'login.succeeded')).toBe(1);
    },
  );

  it.skipIf(server.skip !== undefined)(
    `H1, D3: one pending set-up, one code, ${N} confirmations from ${WORKERS} processes: one device, one set of backup codes`,
    async () => {
      const { clock, twoFactor } = local();
      const user = newUser();
      const start = await twoFactor.beginEnrollment(asActor(user), { method: 'totp' });
      const code = appCode(start.manualKey, clock());
      const calls: RaceCall[] = Array.from({ length: N }, () => ({
        method: 'confirmEnrollment',
        args: [asActor(user), { enrollmentId: start.enrollmentId, code }],
      }));
      const { ok, refused } = tally(await race(calls, clock()));
      expect(ok).toBe(1);
      expect([...refused]).toEqual(['enrollment_not_found']);
      expect(await store().listCredentials(user.id)).toHaveLength(1);
      expect((await store().getBackupCodeSet(user.id))?.remaining).toBe(10);
      expect(await succeeded(user.id, 'enrollment.confirmed')).toBe(1);
      expect(await succeeded(user.id, 'backup_codes.issued')).toBe(1);
    },
  );
});
