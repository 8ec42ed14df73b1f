/**
 * @module
 * The checks of `failLogin`'s options: the keys as every method that takes counter keys (and distinct,
 * so each is counted once), the limits as `registerFailure` checks them, and the audit record as
 * `appendAudit` checks its event, with a `data` object the store completes.
 */
import type { CheckedFailLoginOptions } from './adapter/operations';
import { MAX_FAILURE_KEYS } from './limits';
import { assertOptions, assertTime, fail, idList } from './validate';
import { checkAuditEvent, checkFailureLimits } from './validate-records';

type Bag = Record<string, unknown>;

/**
 * The options of `failLogin`, checked and copied, each field read once.
 *
 * @internal
 */
export function checkFailLoginOptions(name: string, value: unknown): CheckedFailLoginOptions {
  assertOptions(name, value, true);
  const { now, keys, limits, audit } = value as Bag;
  assertTime(`${name}.now`, now);
  const list = idList(`${name}.keys`, keys, MAX_FAILURE_KEYS);
  if (list.length === 0) fail(`${name}.keys`, `must be an array of 1 to ${MAX_FAILURE_KEYS} ids`);
  // E1: one wrong answer is one failure per counter; a key named twice would be counted twice.
  if (new Set(list).size !== list.length) fail(`${name}.keys`, 'must not contain a key twice');
  const checkedLimits = checkFailureLimits(`${name}.limits`, limits);
  if (audit === undefined) fail(`${name}.audit`, 'must be an audit record');
  const event = checkAuditEvent(audit, `${name}.audit`);
  const data: unknown = event.data ?? {};
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    fail(`${name}.audit.data`, 'must be an object: the store adds failures and locked to it');
  }
  // The store writes these two from its own counts (the contract of failLogin).
  const { failures: _failures, locked: _locked, ...rest } = data as Record<string, unknown>;
  return { now, keys: list, limits: checkedLimits, audit: { ...event, data: rest } };
}

/**
 * The `data` an adapter stores with the audit record of `failLogin`: the checked data, then `failures`
 * (the first key's count after the step) and `locked` (any key locked at `now` after it), for an
 * adapter that counts in JavaScript (a SQL or Lua step appends the same two fields itself).
 *
 * @example
 * ```ts
 * import { failLoginAuditData } from '@secondfactor/store/adapter';
 *
 * const data = failLoginAuditData({ method: 'totp' }, [{ count: 5, lockedUntil: 960_000 }], 900_000);
 * // { method: 'totp', failures: 5, locked: true }
 * ```
 */
export function failLoginAuditData(
  data: Record<string, unknown>,
  states: readonly { count: number; lockedUntil: number | null }[],
  now: number,
): Record<string, unknown> {
  return {
    ...data,
    failures: states[0]?.count ?? 0,
    locked: states.some((state) => state.lockedUntil !== null && state.lockedUntil > now),
  };
}
