/**
 * @module
 * Boundary checks of method arguments that are not whole records (page limits, lists of ids and
 * digests, option bags). The per-method checkers of `check-args.ts`, which every adapter calls, are built
 * from them, so all adapters reject exactly the same values.
 */
import { SecondFactorError } from '@secondfactor/core';
import { assertCiphertext, assertDigest, assertId, assertInteger, assertText, assertTime } from './validate';

/** Most rows one list call returns, and the most ids or digests one call accepts. */
export const MAX_PAGE_SIZE = 1000;

/** Page size of list calls that are given no `limit`. */
export const DEFAULT_PAGE_SIZE = 100;

/** Most backup codes one set may hold. */
export const MAX_BACKUP_CODES = 100;

/**
 * Most attempt-counter keys one call reads or clears (`getCredentialForVerification`'s `failureKeys`,
 * `recordOtpUse`'s `clearFailures`): a verification touches a handful (per user, per credential, per
 * factor), and a small bound keeps every such call one cheap step in every backend.
 */
export const MAX_FAILURE_KEYS = 8;

const fail = (name: string, why: string): never => {
  throw new SecondFactorError('invalid_argument', `${name} ${why}`);
};

/**
 * An options bag: a plain object (`required`) or, when optional, also `undefined`.
 *
 * @example
 * ```ts
 * import { assertOptions } from '@secondfactor/store';
 *
 * assertOptions('options', { now: 0 }, true);
 * ```
 */
export function assertOptions(name: string, value: unknown, required: boolean): asserts value is object {
  if (value === undefined && !required) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(name, 'must be an object');
}

/**
 * A page size: an integer from 1 to {@link MAX_PAGE_SIZE}; `undefined` reads as {@link DEFAULT_PAGE_SIZE}.
 *
 * @example
 * ```ts
 * import { pageLimit } from '@secondfactor/store';
 *
 * pageLimit('options.limit', undefined); // 100
 * ```
 */
export function pageLimit(name: string, value: unknown): number {
  if (value === undefined) return DEFAULT_PAGE_SIZE;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_PAGE_SIZE) {
    fail(name, `must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  return value as number;
}

/**
 * A list of ids: an array of at most {@link MAX_PAGE_SIZE} valid ids.
 *
 * @example
 * ```ts
 * import { assertIdList } from '@secondfactor/store';
 *
 * assertIdList('userIds', ['user-1', 'user-2']);
 * ```
 */
export function assertIdList(name: string, value: unknown): asserts value is readonly string[] {
  if (!Array.isArray(value) || value.length > MAX_PAGE_SIZE)
    fail(name, `must be an array of at most ${MAX_PAGE_SIZE} ids`);
  for (const [index, item] of (value as unknown[]).entries()) assertId(`${name}[${index}]`, item);
}

/**
 * A list of attempt-counter keys: an array of at most {@link MAX_FAILURE_KEYS} valid ids (each checked
 * as `registerFailure`'s `key` is). Repeating a key is allowed and means the same as naming it once.
 *
 * @example
 * ```ts
 * import { assertFailureKeys } from '@secondfactor/store';
 *
 * assertFailureKeys('options.clearFailures', ['user:42', 'credential:cred-1']);
 * ```
 */
export function assertFailureKeys(name: string, value: unknown): asserts value is readonly string[] {
  if (!Array.isArray(value) || value.length > MAX_FAILURE_KEYS)
    fail(name, `must be an array of at most ${MAX_FAILURE_KEYS} keys`);
  for (const [index, item] of (value as unknown[]).entries()) assertId(`${name}[${index}]`, item);
}

/**
 * The digests of a backup-code set: an array of 1 to {@link MAX_BACKUP_CODES} distinct digests.
 *
 * @example
 * ```ts
 * import { assertDigestSet } from '@secondfactor/store';
 *
 * assertDigestSet('set.digests', ['9f86d081884c7d659a2feaa0c55ad015']);
 * ```
 */
export function assertDigestSet(name: string, value: unknown): asserts value is readonly string[] {
  if (!Array.isArray(value) || value.length < 1 || value.length > MAX_BACKUP_CODES) {
    fail(name, `must be an array of 1 to ${MAX_BACKUP_CODES} digests`);
  }
  const list = value as unknown[];
  for (const [index, item] of list.entries()) assertDigest(`${name}[${index}]`, item);
  if (new Set(list).size !== list.length) fail(name, 'must not contain a digest twice');
}

/**
 * The salt of a backup-code set: 1 to 256 characters without control characters.
 *
 * @example
 * ```ts
 * import { assertSalt } from '@secondfactor/store';
 *
 * assertSalt('set.salt', '010e0801a3f4');
 * ```
 */
export function assertSalt(name: string, value: unknown): asserts value is string {
  assertText(name, value, 256);
  if (value === '') fail(name, 'must not be empty');
}

/**
 * An OTP time step or HOTP counter: a non-negative safe integer (RFC 4226 §5.2 counters and RFC 6238 §4
 * steps are never negative).
 *
 * @example
 * ```ts
 * import { assertStep } from '@secondfactor/store';
 *
 * assertStep('step', 57_000_001);
 * ```
 */
export function assertStep(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    fail(name, 'must be a non-negative safe integer');
  }
}

/** The options of `recordOtpUse` after the boundary checks: key lists copied, omitted lists empty. */
export interface CheckedRecordOtpUseOptions {
  now: number;
  driftSteps: number | undefined;
  ifSecret: string | undefined;
  unlessLocked: string[];
  clearFailures: string[];
}

/**
 * A list of attempt-counter keys as {@link assertFailureKeys}, copied before it is checked so the keys
 * checked are the keys used even if the caller's array changes while the call runs.
 *
 * @internal
 */
export function copyFailureKeys(name: string, value: unknown): string[] {
  const keys: unknown = Array.isArray(value) ? [...value] : value;
  assertFailureKeys(name, keys);
  return keys as string[];
}

// An omitted optional list reads as an empty one.
function failureKeyList(name: string, value: unknown): string[] {
  return value === undefined ? [] : copyFailureKeys(name, value);
}

/**
 * The boundary checks of `recordOtpUse`'s options, shared by every adapter so all refuse the same values:
 * a required object; `now` a time; `driftSteps` a safe integer; `clearFailures` and `unlessLocked` as
 * {@link assertFailureKeys}; `ifSecret` a sealed secret (`assertCiphertext`: never a plaintext one, B6).
 * Each property is read once.
 *
 * @example
 * ```ts
 * import { checkRecordOtpUseOptions } from '@secondfactor/store';
 *
 * const { unlessLocked, clearFailures } = checkRecordOtpUseOptions({ now: 0, unlessLocked: ['user:42'] });
 * // unlessLocked: ['user:42'], clearFailures: []
 * ```
 */
export function checkRecordOtpUseOptions(options: unknown): CheckedRecordOtpUseOptions {
  assertOptions('options', options, true);
  const { now, driftSteps, ifSecret, unlessLocked, clearFailures } = options as Record<string, unknown>;
  assertTime('options.now', now);
  if (driftSteps !== undefined) assertInteger('options.driftSteps', driftSteps);
  if (ifSecret !== undefined) assertCiphertext('options.ifSecret', ifSecret);
  return {
    now,
    driftSteps,
    ifSecret,
    unlessLocked: failureKeyList('options.unlessLocked', unlessLocked),
    clearFailures: failureKeyList('options.clearFailures', clearFailures),
  };
}
