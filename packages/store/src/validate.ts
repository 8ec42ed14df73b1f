/**
 * @module
 * The checks of single values at the store's boundary: ids, digests, times, durations, integers, text,
 * sealed secrets, option bags, lists and page sizes. Each refuses with `SecondFactorError`
 * (`invalid_argument`) and the parameter's name, so every adapter refuses the same values with the same
 * message. Whole records are checked in `validate-records.ts`, every method's arguments in `checked-store.ts`.
 */
import { SecondFactorError } from '@secondfactor/core';
import {
  DEFAULT_PAGE_SIZE,
  MAX_BACKUP_CODES,
  MAX_DURATION,
  MAX_FAILURE_KEYS,
  MAX_PAGE_SIZE,
  MAX_TIME,
} from './limits';

// Whole bytes only: 16 to 64 bytes, two lowercase hex digits each.
const DIGEST = /^(?:[0-9a-f]{2}){16,64}$/;
// Printable text without control characters; ids come from hosts (UUIDs, e-mail addresses, numbers).
// `\p{Cs}`: no lone UTF-16 surrogate either (see LONE_SURROGATE below).
// biome-ignore lint/suspicious/noControlCharactersInRegex: the class names the control characters an id must not contain.
const ID = /^[^\u0000-\u001f\u007f\p{Cs}]{1,255}$/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the class names the control characters text must not contain.
const CONTROL = /[\u0000-\u001f\u007f]/u;
// A lone UTF-16 surrogate has no UTF-8 form: drivers turn it into U+FFFD, so two different ids would
// name one row (checklist H3). Such strings are refused everywhere.
const LONE_SURROGATE = /\p{Cs}/u;
// `SecretBox.seal` output: version tag, key id, base64url body (B6: never a plaintext secret).
const SEALED = /^sf1\.[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{40,400}$/;

/**
 * Throws the `invalid_argument` error of the parameter `name`: the one way every check refuses.
 *
 * @internal
 */
export function fail(name: string, why: string): never {
  throw new SecondFactorError('invalid_argument', `${name} ${why}`);
}

/**
 * True when `text` has no lone UTF-16 surrogate (it has a UTF-8 form).
 *
 * @internal
 */
export const isWellFormed = (text: string): boolean => !LONE_SURROGATE.test(text);

/**
 * An id: 1–255 characters (code points), no control characters, no lone UTF-16 surrogates. The check
 * every store method applies to a user, record or counter id, for code that validates before it calls
 * the store.
 *
 * @throws {SecondFactorError} `invalid_argument` naming `name`.
 * @example
 * ```ts
 * import { assertId } from '@secondfactor/store';
 *
 * assertId('userId', 'user-42');
 * ```
 */
export function assertId(name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || !ID.test(value))
    fail(name, 'must be a string of 1 to 255 printable characters');
}

/** An optional id. @internal */
export function assertOptionalId(name: string, value: unknown): asserts value is string | undefined {
  if (value !== undefined) assertId(name, value);
}

/** A keyed digest: lowercase hex of 16 to 64 whole bytes (32 to 128 hex digits, an even number). @internal */
export function assertDigest(name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || !DIGEST.test(value)) {
    fail(name, 'must be a lowercase hex digest of 16 to 64 bytes (an even number of 32 to 128 hex digits)');
  }
}

/**
 * An integer from `min` to `max` (both safe integers): steps, counters, attempts, drift.
 *
 * @internal
 */
export function assertInteger(
  name: string,
  value: unknown,
  min: number = Number.MIN_SAFE_INTEGER,
  max: number = Number.MAX_SAFE_INTEGER,
): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    if (min === Number.MIN_SAFE_INTEGER && max === Number.MAX_SAFE_INTEGER)
      fail(name, 'must be a safe integer');
    if (max === Number.MAX_SAFE_INTEGER) fail(name, `must be a safe integer of at least ${min}`);
    fail(name, `must be an integer from ${min} to ${max}`);
  }
}

/**
 * A time: Unix milliseconds from 0 to `MAX_TIME` (9999-12-31T23:59:59.999Z). The check every store
 * method applies to `now` and to every time in a record, for code that validates before it calls the
 * store.
 *
 * @throws {SecondFactorError} `invalid_argument` naming `name`.
 * @example
 * ```ts
 * import { assertTime } from '@secondfactor/store';
 *
 * assertTime('options.now', Date.now());
 * ```
 */
export function assertTime(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > MAX_TIME) {
    fail(name, `must be a time in Unix milliseconds from 0 to ${MAX_TIME} (9999-12-31)`);
  }
}

/** A duration: whole milliseconds from `min` to `MAX_DURATION` (ten years). @internal */
export function assertDuration(name: string, value: unknown, min = 0): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > MAX_DURATION) {
    fail(name, `must be a duration of ${min} to ${MAX_DURATION} milliseconds (ten years)`);
  }
}

/** Short free text (labels, addresses): at most `max` characters, no control characters. @internal */
export function assertText(name: string, value: unknown, max = 320): asserts value is string {
  if (typeof value !== 'string' || value.length > max || CONTROL.test(value) || !isWellFormed(value)) {
    fail(name, `must be a string of at most ${max} characters without control characters`);
  }
}

/** A sealed secret as produced by `SecretBox.seal`, never a plaintext one (B6). @internal */
export function assertCiphertext(name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || !SEALED.test(value))
    fail(name, 'must be a ciphertext produced by SecretBox.seal');
}

/** An options bag: a plain object (`required`) or, when optional, also `undefined`. @internal */
export function assertOptions(name: string, value: unknown, required: boolean): asserts value is object {
  if (value === undefined && !required) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(name, 'must be an object');
}

/**
 * A list of at most `max` ids, copied before it is checked, so the ids checked are the ids used even if
 * the caller's array changes while the call runs. Repeats are allowed.
 *
 * @internal
 */
export function idList(name: string, value: unknown, max: number): string[] {
  const list: unknown = Array.isArray(value) ? [...value] : value;
  if (!Array.isArray(list) || list.length > max) fail(name, `must be an array of at most ${max} ids`);
  for (const [index, item] of (list as unknown[]).entries()) assertId(`${name}[${index}]`, item);
  return list as string[];
}

/**
 * A list of at most `MAX_FAILURE_KEYS` attempt-counter keys, copied; an omitted one reads as empty.
 *
 * @internal
 */
export const failureKeys = (name: string, value: unknown): string[] =>
  value === undefined ? [] : idList(name, value, MAX_FAILURE_KEYS);

/** The digests of a backup-code set, copied: 1 to `MAX_BACKUP_CODES` distinct digests. @internal */
export function digestSet(name: string, value: unknown): string[] {
  const list: unknown = Array.isArray(value) ? [...value] : value;
  if (!Array.isArray(list) || list.length < 1 || list.length > MAX_BACKUP_CODES) {
    fail(name, `must be an array of 1 to ${MAX_BACKUP_CODES} digests`);
  }
  const digests = list as unknown[];
  for (const [index, item] of digests.entries()) assertDigest(`${name}[${index}]`, item);
  if (new Set(digests).size !== digests.length) fail(name, 'must not contain a digest twice');
  return digests as string[];
}

/** The salt of a backup-code set: 1 to 256 characters without control characters. @internal */
export function assertSalt(name: string, value: unknown): asserts value is string {
  assertText(name, value, 256);
  if (value === '') fail(name, 'must not be empty');
}

/** A page size: an integer from 1 to `MAX_PAGE_SIZE`; `undefined` reads as `DEFAULT_PAGE_SIZE`. @internal */
export function pageLimit(name: string, value: unknown): number {
  if (value === undefined) return DEFAULT_PAGE_SIZE;
  assertInteger(name, value, 1, MAX_PAGE_SIZE);
  return value;
}
