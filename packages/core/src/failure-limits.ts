/**
 * @module
 * The lockout rule for failed attempts: the shape the policy derives and the store counts with.
 */

/**
 * Lockout rule for failed second-factor attempts. Durations are milliseconds. The policy derives one
 * (`Policy.failureLimits()`, every field filled); the store applies it
 * (`SecondFactorStore.registerFailure`).
 *
 * @example
 * ```ts
 * import type { FailureLimits } from '@secondfactor/core';
 *
 * const limits: FailureLimits = { maxFailures: 5, windowMs: 15 * 60_000, lockoutMs: 60_000, backoffFactor: 2, maxLockoutMs: 3_600_000 };
 * ```
 */
export interface FailureLimits {
  /** Failures within `windowMs` that lock the key. */
  maxFailures: number;
  /** Failures older than this no longer count (a fixed window from the first counted failure). */
  windowMs: number;
  /** Length of the first lockout. */
  lockoutMs: number;
  /** Each further lockout of the same key lasts this many times longer (a whole number 1–10), up to `maxLockoutMs`. @default 1 */
  backoffFactor?: number | undefined;
  /** Upper bound of a lockout. @default lockoutMs */
  maxLockoutMs?: number | undefined;
}
