/**
 * @module
 * Checks shared by every entry point of the engine. Each throws {@link SecondFactorError} with the name
 * of the parameter at fault and never quotes the value, which may be secret.
 */

import {
  type Algorithm,
  DEFAULT_ALGORITHM,
  DEFAULT_DIGITS,
  DEFAULT_PERIOD,
  MAX_COUNTER,
  MAX_DIGITS,
  MIN_DIGITS,
} from './constants';
import { SecondFactorError, type SecondFactorErrorCode } from './errors';

/** A `Uint8Array`, also one from another realm (iframe, `vm`), where `instanceof` is false. */
export function isBytes(value: unknown): value is Uint8Array {
  return (
    value instanceof Uint8Array ||
    (ArrayBuffer.isView(value) &&
      (value as { constructor?: { name?: unknown } }).constructor?.name === 'Uint8Array')
  );
}

/** Throws `invalid_argument` naming `name`. */
export function invalidArgument(name: string, expectation: string): SecondFactorError {
  return new SecondFactorError('invalid_argument', `${name} ${expectation}`);
}

/**
 * An HMAC key: a non-empty `Uint8Array` (checklist C8: an empty or missing secret must never verify).
 * Length policy (128-bit minimum) belongs to generation and import, not to the engine: a legacy
 * secret imported with consent must still compute codes.
 */
export function checkSecret(secret: unknown, name = 'secret'): Uint8Array {
  if (!isBytes(secret)) {
    throw new SecondFactorError('invalid_secret', `${name} must be a Uint8Array`);
  }
  if (secret.length === 0) throw new SecondFactorError('invalid_secret', `${name} must not be empty`);
  return secret;
}

/** An options bag: `undefined` or a non-array object. */
export function checkOptions<T extends object>(options: unknown, name = 'options'): Partial<T> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalidArgument(name, 'must be an object when given');
  }
  return options as Partial<T>;
}

/** `SHA1` (default), `SHA256` or `SHA512`. */
export function checkAlgorithm(value: unknown, name = 'options.algorithm'): Algorithm {
  if (value === undefined) return DEFAULT_ALGORITHM;
  if (value === 'SHA1' || value === 'SHA256' || value === 'SHA512') return value;
  throw invalidArgument(name, "must be 'SHA1', 'SHA256' or 'SHA512'");
}

/**
 * A digit count: an integer from {@link MIN_DIGITS} to {@link MAX_DIGITS}, 6 by default (checklist
 * A9). The one digit check of the package: the Key URI parser uses it too, with its own error code.
 */
export function checkDigits(
  value: unknown,
  name = 'options.digits',
  code: SecondFactorErrorCode = 'invalid_argument',
): number {
  if (value === undefined) return DEFAULT_DIGITS;
  if (!Number.isInteger(value) || (value as number) < MIN_DIGITS || (value as number) > MAX_DIGITS) {
    throw new SecondFactorError(code, `${name} must be an integer from ${MIN_DIGITS} to ${MAX_DIGITS}`);
  }
  return value as number;
}

/** A whole number of seconds ≥ 1 whose millisecond value stays exact; 30 by default. */
export function checkPeriod(value: unknown, name = 'options.period'): number {
  if (value === undefined) return DEFAULT_PERIOD;
  if (
    !Number.isSafeInteger(value) ||
    (value as number) < 1 ||
    (value as number) * 1000 > Number.MAX_SAFE_INTEGER
  ) {
    throw invalidArgument(name, 'must be a positive whole number of seconds');
  }
  return value as number;
}

/** T0 in Unix seconds, a whole number whose millisecond value stays exact; 0 by default. */
export function checkEpoch(value: unknown, name = 'options.epoch'): number {
  if (value === undefined) return 0;
  if (!Number.isSafeInteger(value) || Math.abs(value as number) * 1000 > Number.MAX_SAFE_INTEGER) {
    throw invalidArgument(name, 'must be a whole number of Unix seconds');
  }
  return value as number;
}

/** A point in time in Unix milliseconds, read from `Date.now()` when absent. */
export function checkTime(value: unknown, name = 'options.time'): number {
  if (value === undefined) return Date.now();
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > Number.MAX_SAFE_INTEGER) {
    throw invalidArgument(name, 'must be a finite number of Unix milliseconds');
  }
  return value;
}

/** An integer from 0 to `max`, `fallback` when absent. */
export function checkCount(value: unknown, max: number, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > max) {
    throw invalidArgument(name, `must be an integer from 0 to ${max}`);
  }
  return value as number;
}

/**
 * An 8-byte counter as its high and low 32-bit halves (RFC 4226 §5.1). A `number` must be a safe
 * integer: above 2^53 − 1 a number has already lost precision, so such counters must be a `bigint`.
 */
export function splitCounter(value: unknown, name = 'counter'): [hi: number, lo: number] {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw invalidArgument(
        name,
        Number.isInteger(value) && value > 0
          ? 'above 2^53 - 1 must be given as a bigint'
          : 'must be a non-negative integer',
      );
    }
    return [Math.floor(value / 0x1_0000_0000), value >>> 0];
  }
  if (typeof value === 'bigint') {
    if (value < 0n || value > MAX_COUNTER) throw invalidArgument(name, 'must be from 0 to 2^64 - 1');
    return [Number(value >> 32n), Number(value & 0xffff_ffffn)];
  }
  throw invalidArgument(name, 'must be a non-negative integer number or bigint');
}
