/**
 * @module
 * Attempt counters and lockouts. The script mirrors `nextFailureCounter`; reads go through
 * `readFailureState` itself, so both sides of the arithmetic are the reference code or its mirror.
 */
import type { FailureCounter, FailureLimits, FailureState } from '@secondfactor/store';
import {
  checkClearFailuresArgs,
  checkGetFailuresArgs,
  checkRegisterFailureArgs,
  readFailureState,
} from '@secondfactor/store';
import type { Field } from '../codec';
import { keyPart } from '../key-part';
import type { OpContext } from './context';

/** Counts one failure of `key` at `now` and returns the state after it. */
export async function registerFailure(
  ctx: OpContext,
  key: string,
  now: number,
  limits: FailureLimits,
): Promise<FailureState> {
  const rule = checkRegisterFailureArgs(key, now, limits);
  const args = [
    keyPart(key),
    String(now),
    String(rule.maxFailures),
    String(rule.windowMs),
    ctx.retainMs,
    String(rule.lockoutMs),
    String(rule.backoffFactor ?? 1),
    String(rule.maxLockoutMs ?? rule.lockoutMs),
  ];
  const [count, lockedUntil] = (await ctx.run('registerFailure', args)) as [string, Field];
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
export async function getFailures(ctx: OpContext, key: string, now: number): Promise<FailureState> {
  checkGetFailuresArgs(key, now);
  return failureState((await ctx.run('getFailures', [keyPart(key)])) as Field[], now);
}

/** Forgets the failures, lockout and backoff of `key`. */
export async function clearFailures(ctx: OpContext, key: string): Promise<void> {
  checkClearFailuresArgs(key);
  await ctx.run('clearFailures', [keyPart(key)]);
}
