/**
 * @module
 * Prepared TOTP and HOTP for hot paths: the HMAC inner and outer key states are derived once, when the
 * object is created, and every later code costs two hash compressions.
 */

import { formatCode, parseCode } from './code';
import { type Algorithm, DEFAULT_LOOK_AHEAD, DEFAULT_WINDOW, MAX_LOOK_AHEAD } from './constants';
import { SecondFactorError } from './errors';
import { HmacEngine } from './hmac';
import {
  candidateCount,
  firstCounter,
  HOTP_MALFORMED,
  hotpResult,
  MISMATCH,
  matchCounters,
  type OtpOptions,
  type VerifyHotpResult,
} from './hotp';
import {
  checkLastUsedStep,
  checkWindow,
  matchSteps,
  stepAt,
  TOTP_MALFORMED,
  type TotpWindow,
  type VerifyTotpResult,
} from './totp';
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
  splitCounter,
} from './validate';

/**
 * Options of {@link createTotp}: fixed for the life of the prepared object.
 *
 * @example
 * ```ts
 * import { type CreateTotpOptions, createTotp } from '@secondfactor/core';
 *
 * const options: CreateTotpOptions = { digits: 6, period: 30, window: { past: 1, future: 1 }, clock: Date.now };
 * const otp = createTotp(secret, options);
 * ```
 */
export interface CreateTotpOptions extends OtpOptions {
  /**
   * Time step X in seconds (RFC 6238 §4.1).
   * @default 30
   */
  period?: number | undefined;
  /**
   * T0 in Unix seconds (RFC 6238 §4.1).
   * @default 0
   */
  epoch?: number | undefined;
  /**
   * Window used when `verify` is not given one, 0 to 10 each way.
   * @default 1
   */
  window?: TotpWindow | undefined;
  /**
   * Where `generate`, `verify` and `step` read the time when not given one, in Unix milliseconds.
   * @default Date.now
   */
  clock?: (() => number) | undefined;
}

/**
 * Per-call options of {@link PreparedTotp.verify}.
 *
 * @example
 * ```ts
 * import { createTotp, type PreparedVerifyTotpOptions } from '@secondfactor/core';
 *
 * const otp = createTotp(new TextEncoder().encode('12345678901234567890'));
 * const options: PreparedVerifyTotpOptions = { time: 59_000, window: 0, lastUsedStep: 0 };
 * otp.verify('287082', options); // { valid: true, step: 1, driftSteps: 0 }
 * ```
 */
export interface PreparedVerifyTotpOptions {
  /**
   * The instant in Unix milliseconds.
   * @default clock()
   */
  time?: number | undefined;
  /**
   * Overrides the window given to {@link createTotp}.
   * @default the window of createTotp
   */
  window?: TotpWindow | undefined;
  /**
   * The last accepted step; only later steps are accepted, every step ≤ it is refused as `replayed`
   * (RFC 6238 §5.2).
   * @default undefined (no code used yet: no step refused)
   */
  lastUsedStep?: number | undefined;
}

/**
 * A TOTP generator and verifier bound to one secret; see {@link createTotp}.
 *
 * @example
 * ```ts
 * import { createTotp, type PreparedTotp } from '@secondfactor/core';
 *
 * const otp: PreparedTotp = createTotp(new TextEncoder().encode('12345678901234567890'));
 * otp.step(59_000); // 1
 * otp.generate(59_000); // '287082'
 * otp.verify('287082', { time: 59_000 }); // { valid: true, step: 1, driftSteps: 0 }
 * otp.destroy(); // later calls throw
 * ```
 */
export interface PreparedTotp {
  readonly algorithm: Algorithm;
  readonly digits: number;
  readonly period: number;
  readonly epoch: number;
  /** The code at `time` (Unix ms, default `clock()`), as {@link totp} returns it. */
  generate(time?: number): string;
  /** Verifies `code` exactly as {@link verifyTotp} does. */
  verify(code: unknown, options?: PreparedVerifyTotpOptions): VerifyTotpResult;
  /** The time step at `time` (Unix ms, default `clock()`). */
  step(time?: number): number;
  /** Zeroes the key state; every later call throws. */
  destroy(): void;
}

function destroyedError(): SecondFactorError {
  return new SecondFactorError('invalid_argument', 'this prepared OTP object was destroyed');
}

/**
 * Prepares TOTP for one secret: the HMAC key state is derived here once, and reused for every
 * candidate step of every later `verify` and `generate`. Results are identical to {@link totp} and
 * {@link verifyTotp}. The secret is not kept; changing the array afterwards has no effect.
 *
 * @throws {SecondFactorError} `invalid_secret` for an empty or non-`Uint8Array` secret;
 * `invalid_argument` for a bad option (here or in later calls).
 *
 * @example
 * ```ts
 * import { createTotp } from '@secondfactor/core';
 *
 * const otp = createTotp(new TextEncoder().encode('12345678901234567890'), { digits: 8 });
 * otp.generate(59_000); // '94287082'
 * otp.verify('94287082', { time: 59_000 }); // { valid: true, step: 1, driftSteps: 0 }
 * ```
 */
export function createTotp(secret: Uint8Array, options?: CreateTotpOptions): PreparedTotp {
  const key = checkSecret(secret);
  const opts = checkOptions<CreateTotpOptions>(options);
  const algorithm = checkAlgorithm(opts.algorithm);
  const digits = checkDigits(opts.digits);
  const period = checkPeriod(opts.period);
  const epoch = checkEpoch(opts.epoch);
  const defaultWindow = checkWindow(opts.window, [DEFAULT_WINDOW, DEFAULT_WINDOW]);
  const clock = opts.clock ?? Date.now;
  if (typeof clock !== 'function') throw invalidArgument('options.clock', 'must be a function');
  let engine: HmacEngine | undefined = new HmacEngine(algorithm);
  engine.setKey(key);

  const live = (): HmacEngine => {
    if (engine === undefined) throw destroyedError();
    return engine;
  };
  const now = (time: unknown): number =>
    time === undefined ? checkTime(clock(), 'options.clock()') : checkTime(time, 'time');

  return {
    algorithm,
    digits,
    period,
    epoch,
    generate(time?: number): string {
      const keyed = live();
      const step = stepAt(now(time), period, epoch);
      return formatCode(keyed.truncated(Math.floor(step / 0x1_0000_0000), step >>> 0), digits);
    },
    verify(code: unknown, verifyOptions?: PreparedVerifyTotpOptions): VerifyTotpResult {
      const keyed = live();
      const o = checkOptions<PreparedVerifyTotpOptions>(verifyOptions);
      const current = stepAt(now(o.time), period, epoch);
      const [past, future] = checkWindow(o.window, defaultWindow);
      const lastUsedStep = checkLastUsedStep(o.lastUsedStep);
      const submitted = parseCode(code, digits);
      if (submitted < 0) return TOTP_MALFORMED;
      return matchSteps(keyed, digits, submitted, current, past, future, lastUsedStep);
    },
    step(time?: number): number {
      live();
      return stepAt(now(time), period, epoch);
    },
    destroy(): void {
      engine?.wipe();
      engine = undefined;
    },
  };
}

/**
 * Options of {@link createHotp}.
 *
 * @example
 * ```ts
 * import { type CreateHotpOptions, createHotp } from '@secondfactor/core';
 *
 * const options: CreateHotpOptions = { digits: 6, algorithm: 'SHA1', lookAhead: 5 };
 * const otp = createHotp(new TextEncoder().encode('12345678901234567890'), options);
 * otp.verify('969429'); // { valid: true, counter: 3 }
 * ```
 */
export interface CreateHotpOptions extends OtpOptions {
  /**
   * Look-ahead used when `verify` is not given one, 0 to 10 (RFC 4226 §7.4).
   * @default 2
   */
  lookAhead?: number | undefined;
}

/**
 * Per-call options of {@link PreparedHotp.verify}.
 *
 * @example
 * ```ts
 * import { createHotp, type PreparedVerifyHotpOptions } from '@secondfactor/core';
 *
 * const otp = createHotp(new TextEncoder().encode('12345678901234567890'));
 * const options: PreparedVerifyHotpOptions = { lastUsedStep: 0, lookAhead: 0 };
 * otp.verify('287082', options); // { valid: true, counter: 1 }
 * ```
 */
export interface PreparedVerifyHotpOptions {
  /**
   * The counter of the last accepted code; only later counters are tried (RFC 4226 §7.2).
   * @default undefined (no code used yet: counters from 0 are tried)
   */
  lastUsedStep?: number | bigint | undefined;
  /**
   * Overrides the look-ahead given to {@link createHotp}.
   * @default the look-ahead of createHotp
   */
  lookAhead?: number | undefined;
}

/**
 * An HOTP generator and verifier bound to one secret; see {@link createHotp}.
 *
 * @example
 * ```ts
 * import { createHotp, type PreparedHotp } from '@secondfactor/core';
 *
 * const otp: PreparedHotp = createHotp(new TextEncoder().encode('12345678901234567890'));
 * otp.generate(1); // '287082'
 * otp.verify('287082', { lastUsedStep: 0 }); // { valid: true, counter: 1 }
 * otp.destroy(); // later calls throw
 * ```
 */
export interface PreparedHotp {
  readonly algorithm: Algorithm;
  readonly digits: number;
  /** The code of `counter`, as {@link hotp} returns it. */
  generate(counter: number | bigint): string;
  /** Verifies `code` exactly as {@link verifyHotp} does. */
  verify(
    code: unknown,
    options: PreparedVerifyHotpOptions & { lastUsedStep: bigint },
  ): VerifyHotpResult<bigint>;
  verify(
    code: unknown,
    options?: PreparedVerifyHotpOptions & { lastUsedStep?: number | undefined },
  ): VerifyHotpResult<number>;
  verify(code: unknown, options?: PreparedVerifyHotpOptions): VerifyHotpResult;
  /** Zeroes the key state; every later call throws. */
  destroy(): void;
}

/**
 * Prepares HOTP for one secret: the HMAC key state is derived once and reused for every counter.
 * Results are identical to {@link hotp} and {@link verifyHotp}.
 *
 * @throws {SecondFactorError} `invalid_secret` for an empty or non-`Uint8Array` secret;
 * `invalid_argument` for a bad option (here or in later calls).
 *
 * @example
 * ```ts
 * import { createHotp } from '@secondfactor/core';
 *
 * const otp = createHotp(new TextEncoder().encode('12345678901234567890'));
 * otp.generate(0); // '755224'
 * otp.verify('287082'); // { valid: true, counter: 1 }: persist 1 as lastUsedStep
 * otp.verify('287082', { lastUsedStep: 1 }); // { valid: false, reason: 'mismatch' }
 * ```
 */
export function createHotp(secret: Uint8Array, options?: CreateHotpOptions): PreparedHotp {
  const key = checkSecret(secret);
  const opts = checkOptions<CreateHotpOptions>(options);
  const algorithm = checkAlgorithm(opts.algorithm);
  const digits = checkDigits(opts.digits);
  const defaultLookAhead = checkCount(
    opts.lookAhead,
    MAX_LOOK_AHEAD,
    DEFAULT_LOOK_AHEAD,
    'options.lookAhead',
  );
  let engine: HmacEngine | undefined = new HmacEngine(algorithm);
  engine.setKey(key);

  const live = (): HmacEngine => {
    if (engine === undefined) throw destroyedError();
    return engine;
  };

  return {
    algorithm,
    digits,
    generate(counter: number | bigint): string {
      const keyed = live();
      const [hi, lo] = splitCounter(counter);
      return formatCode(keyed.truncated(hi, lo), digits);
    },
    verify(code: unknown, verifyOptions?: PreparedVerifyHotpOptions): VerifyHotpResult {
      const keyed = live();
      const o = checkOptions<PreparedVerifyHotpOptions>(verifyOptions);
      const first = firstCounter(o.lastUsedStep);
      const lookAhead = checkCount(o.lookAhead, MAX_LOOK_AHEAD, defaultLookAhead, 'options.lookAhead');
      const submitted = parseCode(code, digits);
      if (submitted < 0) return HOTP_MALFORMED;
      if (first === undefined) return MISMATCH;
      const [hi, lo] = splitCounter(first);
      return hotpResult(
        first,
        matchCounters(keyed, digits, submitted, hi, lo, candidateCount(first, lookAhead)),
      );
    },
    destroy(): void {
      engine?.wipe();
      engine = undefined;
    },
  } as PreparedHotp;
}
