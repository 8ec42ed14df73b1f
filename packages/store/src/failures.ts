/**
 * @module
 * The lockout arithmetic every adapter implements: the memory store runs this function, the SQL and Lua
 * adapters mirror it statement for statement, and the conformance suite checks them against each other.
 */

import type { FailureLimits } from '@secondfactor/core';
import { MAX_TIME } from './limits';
import type { FailureState } from './records';

/**
 * What an adapter keeps per attempt-counter key.
 *
 * @example
 * ```ts
 * import type { FailureCounter } from '@secondfactor/store/adapter';
 *
 * const unseen: FailureCounter | null = null; // a key never counted
 * const locked: FailureCounter = { count: 5, windowEndsAt: 900_000, lockedUntil: 960_000, lockouts: 1 };
 * ```
 */
export interface FailureCounter {
  count: number;
  /** Failures counted before this time expire together. */
  windowEndsAt: number;
  lockedUntil: number | null;
  /** Lockouts since the key was last cleared; drives the backoff. */
  lockouts: number;
}

/**
 * The counter after one more failure at `now`:
 * 1. while locked, the failure is counted and the lock is not extended;
 * 2. after a lock lapsed, or when the window lapsed, counting restarts at `now`;
 * 3. reaching `maxFailures` locks for `lockoutMs × backoffFactor^lockouts`, capped at `maxLockoutMs`.
 *
 * Neither the window nor the lock ends after `MAX_TIME`: a sum past it is `MAX_TIME`, so a stored
 * counter always holds times the store accepts (and the sums stay far below 2^53 in every backend).
 *
 * The factor is a whole number (1–10, see `assertFailureLimits`), so every length below the cap is an
 * exact integer and a power beyond the cap (even `Infinity` after very many lockouts) yields the cap:
 * SQL and Lua adapters reach the same integers with integer arithmetic.
 *
 * @example
 * ```ts
 * import { nextFailureCounter } from '@secondfactor/store/adapter';
 *
 * const limits = { maxFailures: 3, windowMs: 60_000, lockoutMs: 300_000 };
 * let counter = null;
 * for (const now of [0, 1, 2]) counter = nextFailureCounter(counter, now, limits);
 * counter?.lockedUntil; // 300_002
 * ```
 */
export function nextFailureCounter(
  current: FailureCounter | null,
  now: number,
  limits: FailureLimits,
): FailureCounter {
  if (current?.lockedUntil != null && now < current.lockedUntil) {
    return { ...current, count: current.count + 1 };
  }
  const restart = current === null || current.lockedUntil !== null || now >= current.windowEndsAt;
  const count = (restart ? 0 : current.count) + 1;
  const windowEndsAt = restart ? Math.min(now + limits.windowMs, MAX_TIME) : current.windowEndsAt;
  const lockouts = current?.lockouts ?? 0;
  if (count < limits.maxFailures) return { count, windowEndsAt, lockedUntil: null, lockouts };
  const factor = limits.backoffFactor ?? 1;
  const cap = limits.maxLockoutMs ?? limits.lockoutMs;
  const duration = Math.min(Math.floor(limits.lockoutMs * factor ** lockouts), cap);
  return { count, windowEndsAt, lockedUntil: Math.min(now + duration, MAX_TIME), lockouts: lockouts + 1 };
}

/**
 * The state a reader sees at `now`: a lapsed lock or window reads as no failures.
 *
 * @example
 * ```ts
 * import { readFailureState } from '@secondfactor/store/adapter';
 *
 * readFailureState(null, Date.now()); // { count: 0, lockedUntil: null }
 * ```
 */
export function readFailureState(current: FailureCounter | null, now: number): FailureState {
  if (current === null) return { count: 0, lockedUntil: null };
  if (current.lockedUntil !== null) {
    return now < current.lockedUntil
      ? { count: current.count, lockedUntil: current.lockedUntil }
      : { count: 0, lockedUntil: null };
  }
  return now < current.windowEndsAt
    ? { count: current.count, lockedUntil: null }
    : { count: 0, lockedUntil: null };
}
