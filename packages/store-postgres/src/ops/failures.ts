/**
 * @module
 * Attempt counters. `registerFailure` is one `INSERT … ON CONFLICT DO UPDATE` whose SET mirrors
 * `nextFailureCounter` (`@secondfactor/store/adapter`) step for step; `getFailures` reads the row and
 * runs the store package's own `readFailureState` on it.
 */
import type { NowOptions } from '@secondfactor/store';
import { type FailureState, MAX_TIME } from '@secondfactor/store';
import type { CheckedRegisterFailureOptions } from '@secondfactor/store/adapter';
import { type FailureCounter, readFailureState } from '@secondfactor/store/adapter';
import type { SqlRow } from '../client';
import type { Context } from '../context';
import { int } from '../rows';

/**
 * The lockout length after `lockouts` earlier lockouts, as SQL over the parameters of registerFailure:
 * `min(lockoutMs × factor^lockouts, cap)` in exact `numeric` arithmetic, compared with the cap before
 * the cast to `bigint` so a large power cannot overflow. The factor is a whole number (the boundary
 * checks refuse others), so the result is the integer `nextFailureCounter` computes. The exponent stops
 * at 53: for any factor ≥ 2, factor^53 ≥ 2^53 exceeds every cap (at most `MAX_DURATION`), and for factor 1 the
 * power is 1 anyway, so a key locked millions of times never builds a million-digit number.
 */
const duration = (lockouts: string): string =>
  `LEAST($5::numeric * power($6::numeric, LEAST(${lockouts}, 53)::numeric), $7::numeric)::bigint`;

/** `now + length`, ending at `MAX_TIME` at the latest, as `nextFailureCounter` does. */
const until = (length: string): string => `LEAST($2::bigint + ${length}, ${MAX_TIME}::bigint)`;

/**
 * One failure counted on each key `keys` (a query whose rows have a `key` column, in the order the rows
 * are locked), as `nextFailureCounter` counts it. Parameters: `$2` now, `$3` maxFailures, `$4` windowMs,
 * `$5` lockoutMs, `$6` backoffFactor, `$7` maxLockoutMs. Returns key, count, locked_until.
 */
export const countFailures = (table: string, keys: string): string =>
  // The numbered steps are those of nextFailureCounter, window and lock ending at MAX_TIME at the latest.
  // ON CONFLICT DO UPDATE locks the existing row and computes from its newest version, so each
  // concurrent failure counts on the one before it (the guarantee of `registerFailure`: the contract).
  `INSERT INTO ${table} AS f (key, count, window_ends_at, locked_until, lockouts)
     SELECT k.key, 1, ${until('$4::bigint')},
            CASE WHEN 1 >= $3::integer THEN ${until(duration('0'))} END,
            CASE WHEN 1 >= $3::integer THEN 1 ELSE 0 END
     FROM (${keys}) k
     ON CONFLICT (key) DO UPDATE SET (count, window_ends_at, locked_until, lockouts) = (
       SELECT
         -- 1. while locked, the failure is counted and the lock is not extended
         CASE WHEN n.locked THEN f.count + 1 ELSE n.count END,
         CASE WHEN n.locked THEN f.window_ends_at ELSE n.window_ends_at END,
         -- 3. reaching maxFailures locks for the backoff length of the lockouts so far
         CASE WHEN n.locked THEN f.locked_until
              WHEN n.count >= $3::integer THEN ${until(duration('f.lockouts'))}
              ELSE NULL END,
         CASE WHEN n.locked THEN f.lockouts
              WHEN n.count >= $3::integer THEN f.lockouts + 1
              ELSE f.lockouts END
       FROM (
         SELECT
           f.locked_until IS NOT NULL AND $2::bigint < f.locked_until AS locked,
           -- 2. after a lock lapsed, or when the window lapsed, counting restarts at now
           CASE WHEN f.locked_until IS NOT NULL OR $2::bigint >= f.window_ends_at THEN 1
                ELSE f.count + 1 END AS count,
           CASE WHEN f.locked_until IS NOT NULL OR $2::bigint >= f.window_ends_at THEN ${until('$4::bigint')}
                ELSE f.window_ends_at END AS window_ends_at
       ) n
     )
     RETURNING key, count, locked_until`;

/** The limits of `registerFailure` and `failLogin` as parameters `$2`–`$7` of {@link countFailures}. */
export const limitParams = ({ now, limits }: CheckedRegisterFailureOptions): unknown[] => [
  now,
  limits.maxFailures,
  limits.windowMs,
  limits.lockoutMs,
  limits.backoffFactor,
  limits.maxLockoutMs,
];

/** A counter row as the state `registerFailure` returns. */
export const stateOf = (row: SqlRow): FailureState => ({
  count: int(row.count),
  lockedUntil: row.locked_until === null ? null : int(row.locked_until),
});

export async function registerFailure(
  ctx: Context,
  key: string,
  options: CheckedRegisterFailureOptions,
): Promise<FailureState> {
  const rows = await ctx.run('registerFailure', countFailures(ctx.t.failures, 'SELECT $1::text AS key'), [
    key,
    ...limitParams(options),
  ]);
  const row = rows[0];
  return row === undefined ? { count: 0, lockedUntil: null } : stateOf(row);
}

export async function getFailures(ctx: Context, key: string, { now }: NowOptions): Promise<FailureState> {
  const rows = await ctx.run(
    'getFailures',
    `SELECT count, window_ends_at, locked_until, lockouts FROM ${ctx.t.failures} WHERE key = $1`,
    [key],
  );
  const row = rows[0];
  const counter: FailureCounter | null =
    row === undefined
      ? null
      : {
          count: int(row.count),
          windowEndsAt: int(row.window_ends_at),
          lockedUntil: row.locked_until === null ? null : int(row.locked_until),
          lockouts: int(row.lockouts),
        };
  return readFailureState(counter, now);
}

export async function clearFailures(ctx: Context, key: string): Promise<void> {
  await ctx.run('clearFailures', `DELETE FROM ${ctx.t.failures} WHERE key = $1`, [key]);
}
