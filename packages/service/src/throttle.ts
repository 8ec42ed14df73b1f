/**
 * @module
 * Attempt counting around a verification: read locks before checking a code, count a failure on every
 * counter a wrong code touches. The counting itself is the store's (`failLogin` under
 * `policy.failureLimits()`); the service never keeps a count of its own.
 */
import type { FailureState } from '@secondfactor/store';
import { type EventScope, makeEvent, notify, type TwoFactorEvent, type TwoFactorEventType } from './events';
import type { ServiceContext } from './options';
import type { LoginRef } from './pending-login';

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

/** What {@link countWrongAnswer} counts and records. @internal */
export interface WrongAnswer {
  /** The pending login the answer was for (its attempt is counted), or `null` for none. */
  login: LoginRef | null;
  /** The attempt counters of the answer: 1 to 8 distinct keys. */
  keys: readonly string[];
  now: number;
  /** The audit record's type and data; the store adds `failures` and `locked` to the data. */
  type: TwoFactorEventType;
  data: TwoFactorEvent['data'];
}

/**
 * Counts a wrong answer in one store step (`failLogin`, checklist E1, E2): one failure on each key, one
 * attempt on the pending login (none for `null`), and the audit record, to whose data the store adds
 * `failures` (the first key's count) and `locked` from its own counts. Tells the listener the record as
 * written; resolves the state after it of each key. @internal
 */
export async function countWrongAnswer(
  ctx: ServiceContext,
  scope: EventScope,
  { login, keys, now, type, data }: WrongAnswer,
): Promise<FailureState[]> {
  const event = makeEvent(ctx, scope, type, now, data);
  const { states } = await ctx.store.failLogin(login?.userId ?? scope.userId, login?.challengeId ?? null, {
    now,
    keys,
    limits: ctx.policy.failureLimits(),
    audit: event,
  });
  const locked = lockRemaining(states, now) !== null;
  await notify(ctx, { ...event, data: { ...data, failures: states[0]?.count ?? 0, locked } });
  return states;
}
