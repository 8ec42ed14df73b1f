/**
 * @module
 * Attempt counters and lockouts, one key `P{f:<key>}` per counter, so every counter is its own slot on a
 * cluster and each call is one script there too. The script mirrors `nextFailureCounter`; reads go
 * through `readFailureState` itself, so both sides of the arithmetic are the reference code or its mirror.
 */
import type { FailureState, NowOptions } from '@secondfactor/store';
import type { CheckedRegisterFailureOptions } from '@secondfactor/store/adapter';
import { type FailureCounter, readFailureState } from '@secondfactor/store/adapter';
import type { Field } from '../codec';
import { keyPart } from '../key-part';
import type { OpContext } from './context';

/** Counts one failure of `key` at `now` and returns the state after it. */
export async function registerFailure(
  ctx: OpContext,
  key: string,
  { now, limits }: CheckedRegisterFailureOptions,
): Promise<FailureState> {
  const args = [
    String(now),
    String(limits.maxFailures),
    String(limits.windowMs),
    String(ctx.retainMs),
    String(limits.lockoutMs),
    String(limits.backoffFactor),
    String(limits.maxLockoutMs),
  ];
  const [count, lockedUntil] = (await ctx.run('registerFailure', [ctx.key.counter(keyPart(key))], args)) as [
    string,
    Field,
  ];
  return { count: Number(count), lockedUntil: lockedUntil === null ? null : Number(lockedUntil) };
}

/** The state at `now` of a counter read as `FAILURE_FIELDS` (all null for a key never seen or expired). */
export function failureState(fields: readonly Field[], now: number): FailureState {
  const [count, windowEndsAt, lockedUntil, lockouts] = fields;
  const counter: FailureCounter | null =
    count == null
      ? null
      : {
          count: Number(count),
          windowEndsAt: Number(windowEndsAt),
          lockedUntil: lockedUntil == null ? null : Number(lockedUntil),
          lockouts: Number(lockouts),
        };
  return readFailureState(counter, now);
}

/** The state of `key` at `now`. */
export async function getFailures(ctx: OpContext, key: string, { now }: NowOptions): Promise<FailureState> {
  return failureState((await ctx.run('getFailures', [ctx.key.counter(keyPart(key))], [])) as Field[], now);
}

/** Forgets the failures, lockout and backoff of `key`. */
export async function clearFailures(ctx: OpContext, key: string): Promise<void> {
  await ctx.run('clearFailures', [ctx.key.counter(keyPart(key))], []);
}
