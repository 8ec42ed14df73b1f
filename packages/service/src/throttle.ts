/**
 * @module
 * Attempt counting around a verification: read locks before checking a code, count a failure on every
 * counter a wrong code touches. The counting itself is the store's (`registerFailure` under
 * `policy.failureLimits()`); the service never keeps a count of its own.
 */
import type { FailureState } from '@secondfactor/store';
import type { ServiceContext } from './options';

/** Milliseconds until the last of the locks in `states` ends, or `null` when none is locked at `now`. @internal */
export function lockRemaining(states: readonly FailureState[], now: number): number | null {
  let until: number | null = null;
  for (const state of states) {
    if (state.lockedUntil !== null && state.lockedUntil > now)
      until = Math.max(until ?? 0, state.lockedUntil);
  }
  return until === null ? null : until - now;
}

/** The state of each key at `now`. @internal */
export function readFailures(
  ctx: ServiceContext,
  keys: readonly string[],
  now: number,
): Promise<FailureState[]> {
  return Promise.all(keys.map((key) => ctx.store.getFailures(key, { now })));
}

/** Counts one failure on each key (checklist E1, E2); resolves the state after it of each. @internal */
export function registerFailures(
  ctx: ServiceContext,
  keys: readonly string[],
  now: number,
): Promise<FailureState[]> {
  const limits = ctx.policy.failureLimits();
  return Promise.all(keys.map((key) => ctx.store.registerFailure(key, { now, limits })));
}
