/**
 * @module
 * TOTP, RFC 6238: the time step of an instant, the code of an instant, and verification inside a
 * bounded window with a replay guard.
 */

import { formatCode, POW10, parseCode } from './code';
import { timingSafeEqualInt } from './compare';
import { DEFAULT_WINDOW, MAX_WINDOW } from './constants';
import { type HmacEngine, sharedEngine } from './hmac';
import type { OtpOptions } from './hotp';
import {
  checkAlgorithm,
  checkCount,
  checkDigits,
  checkEpoch,
  checkOptions,
  checkPeriod,
  checkSecret,
  checkTime,
  invalidArgument,
} from './validate';

/**
 * Options of {@link totpStep}: when, and how time is cut into steps.
 *
 * @example
 * ```ts
 * import { type TotpStepOptions, totpStep } from '@secondfactor/core';
 *
 * const options: TotpStepOptions = { time: clock(), period: 60, epoch: 0 };
 * const step = totpStep(options); // minutes since 1970
 * ```
 */
export interface TotpStepOptions {
  /**
   * The instant, in Unix **milliseconds** (what `Date.now()` returns).
   * @default Date.now()
   */
  time?: number | undefined;
  /**
   * Time step X in **seconds** (RFC 6238 §4.1).
   * @default 30
   */
  period?: number | undefined;
  /**
   * T0, the Unix time in **seconds** at which step 0 starts (RFC 6238 §4.1).
   * @default 0
   */
  epoch?: number | undefined;
}

/**
 * Options of {@link totp}.
 *
 * @example
 * ```ts
 * import { type TotpOptions, totp } from '@secondfactor/core';
 *
 * const options: TotpOptions = { time: 59_000, digits: 8, algorithm: 'SHA1', period: 30 };
 * totp(new TextEncoder().encode('12345678901234567890'), options); // '94287082' (RFC 6238 App. B)
 * ```
 */
export interface TotpOptions extends OtpOptions, TotpStepOptions {}

/**
 * Steps accepted on each side of the current one: a number for both sides, or each side apart.
 *
 * @example
 * ```ts
 * import { type TotpWindow, verifyTotp } from '@secondfactor/core';
 *
 * const window: TotpWindow = { past: 1, future: 0 }; // the previous and current step, none ahead
 * verifyTotp(secret, req.body.code, { window, lastUsedStep });
 * ```
 */
export type TotpWindow = number | { past: number; future: number };

/**
 * Options of {@link verifyTotp}.
 *
 * @example
 * ```ts
 * import { type VerifyTotpOptions, verifyTotp } from '@secondfactor/core';
 *
 * const options: VerifyTotpOptions = { time: clock(), window: 1, lastUsedStep: credential.lastUsedStep };
 * const result = verifyTotp(secret, req.body.code, options);
 * ```
 */
export interface VerifyTotpOptions extends TotpOptions {
  /**
   * Steps accepted before and after the current one, 0 to 10 each way (checklist C1, C2).
   * `1` accepts the previous, current and next step.
   * @default 1
   */
  window?: TotpWindow | undefined;
  /**
   * The last step accepted for this credential (the store's `CredentialRecord.lastUsedStep`). Only
   * steps greater than it are accepted; every step ≤ it is refused with `reason: 'replayed'`
   * (RFC 6238 §5.2: a code is accepted at most once). Persist `step` of each success here.
   * @default undefined (no code used yet: no step refused)
   */
  lastUsedStep?: number | undefined;
}

/**
 * A code {@link verifyTotp} accepted.
 *
 * @example
 * ```ts
 * import { verifyTotp } from '@secondfactor/core';
 *
 * const secret = new TextEncoder().encode('12345678901234567890');
 * const result = verifyTotp(secret, '287082', { time: 89_000 }); // the code of step 1, one step late
 * if (result.valid) {
 *   result.step; // 1: persist as lastUsedStep
 *   result.driftSteps; // -1
 * }
 * ```
 */
export interface TotpMatch {
  valid: true;
  /** The time step the code belongs to; persist it as the credential's `lastUsedStep`. */
  step: number;
  /**
   * Clock drift in steps: `step` minus the current step, negative for a late code, positive for a clock
   * running ahead (RFC 6238 §6). The store keeps it as `CredentialRecord.driftSteps`.
   */
  driftSteps: number;
}

/**
 * A code {@link verifyTotp} refused.
 *
 * @example
 * ```ts
 * import { verifyTotp } from '@secondfactor/core';
 *
 * const secret = new TextEncoder().encode('12345678901234567890');
 * const result = verifyTotp(secret, '287082', { time: 59_000, lastUsedStep: 1 });
 * if (!result.valid) {
 *   result.reason; // 'replayed': step 1 was already used
 * }
 * ```
 */
export interface TotpRejection {
  valid: false;
  /** `malformed`: not a code at all; `replayed`: it matched only steps ≤ `lastUsedStep`; `mismatch`: otherwise. */
  reason: 'mismatch' | 'malformed' | 'replayed';
}

/**
 * The outcome of {@link verifyTotp}.
 *
 * @example
 * ```ts
 * import { type VerifyTotpResult, verifyTotp } from '@secondfactor/core';
 *
 * const result: VerifyTotpResult = verifyTotp(secret, req.body.code, { lastUsedStep });
 * if (result.valid) await saveLastUsedStep(result.step);
 * else countFailedAttempt(result.reason);
 * ```
 */
export type VerifyTotpResult = TotpMatch | TotpRejection;

/** The result for a malformed code, shared with the prepared form. */
export const TOTP_MALFORMED: TotpRejection = /* @__PURE__ */ Object.freeze({
  valid: false,
  reason: 'malformed',
});
const MISMATCH: TotpRejection = /* @__PURE__ */ Object.freeze({ valid: false, reason: 'mismatch' });
const REPLAYED: TotpRejection = /* @__PURE__ */ Object.freeze({ valid: false, reason: 'replayed' });

/**
 * RFC 6238 §4.2: T = floor((time − T0) / X), in integer milliseconds so no step boundary is missed by
 * rounding and no 32-bit limit applies (times past 2038 and 2106 work).
 */
export function stepAt(time: number, period: number, epoch: number): number {
  const elapsed = Math.floor(time) - epoch * 1000;
  if (elapsed < 0) throw invalidArgument('options.time', 'must not be before options.epoch');
  if (elapsed > Number.MAX_SAFE_INTEGER)
    throw invalidArgument('options.time', 'is too far after options.epoch');
  const ms = period * 1000;
  return (elapsed - (elapsed % ms)) / ms;
}

/**
 * The time step T of an instant (RFC 6238 §4.2): what {@link verifyTotp} reports as `step`, and
 * what `lastUsedStep` compares against.
 *
 * @throws {SecondFactorError} `invalid_argument` for a bad option or a time before `epoch`.
 *
 * @example
 * ```ts
 * import { totpStep } from '@secondfactor/core';
 *
 * totpStep({ time: 59_000 }); // 1
 * totpStep({ time: 20_000_000_000_000 }); // 666666666 (0x27BC86AA)
 * ```
 */
export function totpStep(options?: TotpStepOptions): number {
  const opts = checkOptions<TotpStepOptions>(options);
  return stepAt(checkTime(opts.time), checkPeriod(opts.period), checkEpoch(opts.epoch));
}

/**
 * The TOTP code at an instant (RFC 6238 §4): HOTP of the time step.
 *
 * @throws {SecondFactorError} `invalid_secret` for an empty or non-`Uint8Array` secret;
 * `invalid_argument` for a bad option or a time before `epoch`.
 *
 * @example
 * ```ts
 * import { totp } from '@secondfactor/core';
 *
 * const secret = new TextEncoder().encode('12345678901234567890');
 * totp(secret, { time: 59_000, digits: 8 }); // '94287082' (RFC 6238 App. B)
 * totp(secret); // the code of this moment, 6 digits, SHA-1, 30 s
 * ```
 */
export function totp(secret: Uint8Array, options?: TotpOptions): string {
  const key = checkSecret(secret);
  const opts = checkOptions<TotpOptions>(options);
  const algorithm = checkAlgorithm(opts.algorithm);
  const digits = checkDigits(opts.digits);
  const step = stepAt(checkTime(opts.time), checkPeriod(opts.period), checkEpoch(opts.epoch));
  const engine = sharedEngine(algorithm);
  try {
    engine.setKey(key);
    return formatCode(engine.truncated(Math.floor(step / 0x1_0000_0000), step >>> 0), digits);
  } finally {
    engine.wipe();
  }
}

/** `[past, future]` of a window option; `fallback` when absent. */
export function checkWindow(value: unknown, fallback: readonly [number, number]): readonly [number, number] {
  if (value === undefined) return fallback;
  if (typeof value === 'number') {
    const both = checkCount(value, MAX_WINDOW, DEFAULT_WINDOW, 'options.window');
    return [both, both];
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidArgument('options.window', 'must be a number or { past, future }');
  }
  const { past, future } = value as { past?: unknown; future?: unknown };
  if (past === undefined || future === undefined) {
    throw invalidArgument('options.window', 'must give both past and future');
  }
  return [
    checkCount(past, MAX_WINDOW, 0, 'options.window.past'),
    checkCount(future, MAX_WINDOW, 0, 'options.window.future'),
  ];
}

/** The replay guard: a safe integer, or -1 (nothing refused) when absent. */
export function checkLastUsedStep(value: unknown): number {
  if (value === undefined) return -1;
  if (!Number.isSafeInteger(value)) throw invalidArgument('options.lastUsedStep', 'must be an integer step');
  return value as number;
}

/**
 * Compares `submitted` with the code of every step from `current − past` to `current + future` with a
 * keyed engine. All candidates are computed and compared in constant time, with no early return
 * (checklist C9). When the code matches more than one step (a 1-in-10^digits coincidence) the latest
 * step after `lastUsedStep` wins, so persisting it as `lastUsedStep` covers every step the code matched.
 */
export function matchSteps(
  engine: HmacEngine,
  digits: number,
  submitted: number,
  current: number,
  past: number,
  future: number,
  lastUsedStep: number,
): VerifyTotpResult {
  const modulus = POW10[digits]!;
  let matched = -1;
  let replayed = false;
  // Steps before 0 do not exist (the instant is within `past` steps of T0).
  for (let step = Math.max(0, current - past); step <= current + future; step++) {
    const value = engine.truncated(Math.floor(step / 0x1_0000_0000), step >>> 0) % modulus;
    if (timingSafeEqualInt(value, submitted)) {
      // RFC 6238 §5.2: a step at or before the last accepted one is never accepted again.
      if (step > lastUsedStep) matched = step;
      else replayed = true;
    }
  }
  if (matched >= 0) return { valid: true, step: matched, driftSteps: matched - current };
  return replayed ? REPLAYED : MISMATCH;
}

const DEFAULT_WINDOW_PAIR: readonly [number, number] = [DEFAULT_WINDOW, DEFAULT_WINDOW];

/**
 * Verifies a TOTP code (RFC 6238 §5.2). Returns `{ valid: true, step, driftSteps }` for a code of a
 * step inside the window and after `lastUsedStep`; otherwise `{ valid: false, reason }`. A malformed code
 * (not a string, wrong length or non-digits once spaces are removed) returns `reason: 'malformed'` and
 * never throws (checklist C7). The time comes only from `options.time` or the server clock (C10).
 *
 * @param code - what the user typed; spaces between digits are ignored.
 * @throws {SecondFactorError} `invalid_secret` for an empty or non-`Uint8Array` secret (C8);
 * `invalid_argument` for a bad option, a window above 10 (C2) or a time before `epoch`.
 *
 * @example
 * ```ts
 * import { verifyTotp } from '@secondfactor/core';
 *
 * const secret = new TextEncoder().encode('12345678901234567890');
 * let lastUsedStep: number | undefined; // loaded from your store
 * const result = verifyTotp(secret, '287082', { time: 59_000, lastUsedStep });
 * if (result.valid) {
 *   lastUsedStep = result.step; // persist: the same code is now refused as 'replayed'
 * }
 * ```
 */
export function verifyTotp(secret: Uint8Array, code: unknown, options?: VerifyTotpOptions): VerifyTotpResult {
  const key = checkSecret(secret);
  const opts = checkOptions<VerifyTotpOptions>(options);
  const algorithm = checkAlgorithm(opts.algorithm);
  const digits = checkDigits(opts.digits);
  const current = stepAt(checkTime(opts.time), checkPeriod(opts.period), checkEpoch(opts.epoch));
  const [past, future] = checkWindow(opts.window, DEFAULT_WINDOW_PAIR);
  const lastUsedStep = checkLastUsedStep(opts.lastUsedStep);
  const submitted = parseCode(code, digits);
  if (submitted < 0) return TOTP_MALFORMED;
  const engine = sharedEngine(algorithm);
  try {
    engine.setKey(key);
    return matchSteps(engine, digits, submitted, current, past, future, lastUsedStep);
  } finally {
    engine.wipe();
  }
}
