import { MAX_DURATION, MAX_TIME } from '@secondfactor/store';
import { type FailureCounter, nextFailureCounter, readFailureState } from '@secondfactor/store/adapter';
import { describe, expect, it } from 'vitest';

const limits = { maxFailures: 3, windowMs: 60_000, lockoutMs: 300_000 };

/** Applies failures at the given times, starting from no counter. */
function run(times: number[], rule = limits): FailureCounter {
  let counter: FailureCounter | null = null;
  for (const now of times) counter = nextFailureCounter(counter, now, rule);
  if (counter === null) throw new Error('no failures applied');
  return counter;
}

describe('nextFailureCounter', () => {
  it('the first failure opens a window at now', () => {
    expect(nextFailureCounter(null, 1_000, limits)).toEqual({
      count: 1,
      windowEndsAt: 61_000,
      lockedUntil: null,
      lockouts: 0,
    });
  });

  it('E1: the failure that reaches maxFailures locks for lockoutMs from its own time', () => {
    expect(run([0, 10, 20])).toEqual({ count: 3, windowEndsAt: 60_000, lockedUntil: 300_020, lockouts: 1 });
  });

  it('maxFailures 1 locks at the first failure', () => {
    expect(run([5], { ...limits, maxFailures: 1 })).toEqual({
      count: 1,
      windowEndsAt: 60_005,
      lockedUntil: 300_005,
      lockouts: 1,
    });
  });

  it('E1: failures during a lock are counted and neither extend the lock nor move the window', () => {
    expect(run([0, 10, 20, 30, 300_019])).toEqual({
      count: 5,
      windowEndsAt: 60_000,
      lockedUntil: 300_020,
      lockouts: 1,
    });
  });

  it('a lapsed lock restarts counting at the next failure, keeping the lockout count for the backoff', () => {
    expect(run([0, 10, 20, 300_020])).toEqual({
      count: 1,
      windowEndsAt: 360_020,
      lockedUntil: null,
      lockouts: 1,
    });
  });

  it('a lapsed window restarts counting exactly at windowEndsAt, not a millisecond before', () => {
    expect(run([0, 59_999])).toEqual({ count: 2, windowEndsAt: 60_000, lockedUntil: null, lockouts: 0 });
    expect(run([0, 60_000])).toEqual({ count: 1, windowEndsAt: 120_000, lockedUntil: null, lockouts: 0 });
  });

  it('the window is fixed from its first failure, not sliding', () => {
    // Failures at 0 and 50 s open one window ending at 60 s; the one at 70 s starts a new count.
    expect(run([0, 50_000, 70_000])).toEqual({
      count: 1,
      windowEndsAt: 130_000,
      lockedUntil: null,
      lockouts: 0,
    });
  });

  it('backoff: each further lockout lasts backoffFactor times longer, up to maxLockoutMs', () => {
    const rule = { maxFailures: 1, windowMs: 1, lockoutMs: 1_000, backoffFactor: 3, maxLockoutMs: 20_000 };
    let counter: FailureCounter | null = null;
    let now = 0;
    const durations: number[] = [];
    for (let i = 0; i < 6; i++) {
      counter = nextFailureCounter(counter, now, rule);
      durations.push((counter.lockedUntil ?? now) - now);
      now = counter.lockedUntil ?? now;
    }
    // 1000, 3000, 9000, then 27000 and 81000 and 243000 are capped at 20000.
    expect(durations).toEqual([1_000, 3_000, 9_000, 20_000, 20_000, 20_000]);
    expect(counter?.lockouts).toBe(6);
  });

  it('E1: with whole factors 2–10 every lockout length is exact: min(lockoutMs × factor^n, cap) in integer arithmetic', () => {
    // The reference is BigInt arithmetic, independent of floating point: the SQL and Lua adapters must
    // produce the same integers, and that only holds if JavaScript's value is the exact one.
    const lockoutMs = [1, 7, 997, 30_000, 86_400_000];
    // Up to the longest cap the contract accepts (MAX_DURATION, ten years).
    const caps = [2 ** 31, 2 ** 38, MAX_DURATION];
    for (let factor = 2; factor <= 10; factor++) {
      for (const first of lockoutMs) {
        for (const cap of caps) {
          const rule = {
            maxFailures: 1,
            windowMs: 1,
            lockoutMs: first,
            backoffFactor: factor,
            maxLockoutMs: cap,
          };
          for (let lockouts = 0; lockouts <= 60; lockouts++) {
            const exact = BigInt(first) * BigInt(factor) ** BigInt(lockouts);
            const expected = exact < BigInt(cap) ? Number(exact) : cap;
            const counter = nextFailureCounter(
              { count: 0, windowEndsAt: 0, lockedUntil: 0, lockouts },
              0,
              rule,
            );
            expect(counter.lockedUntil, `${first} × ${factor}^${lockouts}, cap ${cap}`).toBe(expected);
          }
        }
      }
    }
  });

  it('E1: a key locked very many times saturates at the cap (no Infinity, no NaN)', () => {
    const rule = { maxFailures: 1, windowMs: 1, lockoutMs: 5, backoffFactor: 10, maxLockoutMs: 60_000 };
    const counter = nextFailureCounter(
      { count: 0, windowEndsAt: 0, lockedUntil: 0, lockouts: 2 ** 31 },
      100,
      rule,
    );
    expect(counter).toMatchObject({ lockedUntil: 60_100, lockouts: 2 ** 31 + 1 });
  });

  it('without maxLockoutMs the cap is lockoutMs, so a backoff factor alone does not lengthen lockouts', () => {
    const rule = { maxFailures: 1, windowMs: 1, lockoutMs: 1_000, backoffFactor: 2 };
    const first = nextFailureCounter(null, 0, rule);
    const second = nextFailureCounter(first, 1_000, rule);
    expect(second.lockedUntil).toBe(2_000);
  });

  it('the window and the lock end at MAX_TIME at the latest, so a stored counter holds times in range', () => {
    const rule = {
      maxFailures: 2,
      windowMs: MAX_DURATION,
      lockoutMs: MAX_DURATION,
      maxLockoutMs: MAX_DURATION,
    };
    const first = nextFailureCounter(null, MAX_TIME - 10, rule);
    expect(first).toEqual({ count: 1, windowEndsAt: MAX_TIME, lockedUntil: null, lockouts: 0 });
    expect(nextFailureCounter(first, MAX_TIME - 5, rule)).toEqual({
      count: 2,
      windowEndsAt: MAX_TIME,
      lockedUntil: MAX_TIME,
      lockouts: 1,
    });
    // Below the bound nothing changes.
    expect(nextFailureCounter(null, 0, rule)).toEqual({
      count: 1,
      windowEndsAt: MAX_DURATION,
      lockedUntil: null,
      lockouts: 0,
    });
  });

  it('does not modify the counter it is given', () => {
    const counter: FailureCounter = { count: 1, windowEndsAt: 60_000, lockedUntil: null, lockouts: 0 };
    const copy = { ...counter };
    nextFailureCounter(counter, 10, limits);
    expect(counter).toEqual(copy);
  });
});

describe('readFailureState', () => {
  it('no counter reads as no failures', () => {
    expect(readFailureState(null, 0)).toEqual({ count: 0, lockedUntil: null });
  });

  it('a counter inside its window reads its count; from windowEndsAt on it reads zero', () => {
    const counter: FailureCounter = { count: 2, windowEndsAt: 60_000, lockedUntil: null, lockouts: 0 };
    expect(readFailureState(counter, 59_999)).toEqual({ count: 2, lockedUntil: null });
    expect(readFailureState(counter, 60_000)).toEqual({ count: 0, lockedUntil: null });
  });

  it('a lock reads as locked until lockedUntil, even after the window lapsed, and as nothing from then on', () => {
    const counter: FailureCounter = { count: 4, windowEndsAt: 60_000, lockedUntil: 300_020, lockouts: 1 };
    expect(readFailureState(counter, 100_000)).toEqual({ count: 4, lockedUntil: 300_020 });
    expect(readFailureState(counter, 300_019)).toEqual({ count: 4, lockedUntil: 300_020 });
    expect(readFailureState(counter, 300_020)).toEqual({ count: 0, lockedUntil: null });
  });
});
