/**
 * @module
 * Signing in with a backup code: normalise, digest, and consume through the store's one atomic
 * primitive, so a code works once even when many requests race (checklist D4, F3, F9), with the same
 * hashing work whether or not the user has codes (I11).
 */

import { SecondFactorError } from '@secondfactor/core';
import { assertId, assertTime, type SecondFactorStore } from '@secondfactor/store';
import type { BackupCodeEvent, BackupCodeEventListener } from './events';
import { type BackupCodeFormatOptions, resolveFormat } from './format';
import type { BackupCodeHasher } from './hasher';
import { normalizeBackupCode } from './normalize';

/**
 * Options of {@link verifyAndConsume}. Pass the same format options the codes were issued with.
 *
 * @example
 * ```ts
 * import { type VerifyBackupCodeOptions, verifyAndConsume } from '@secondfactor/backup-codes';
 *
 * // codes were issued with { alphabet: 'numeric' }
 * const options: VerifyBackupCodeOptions = { hasher, now: clock(), alphabet: 'numeric', lowWatermark: 2 };
 * const result = await verifyAndConsume(store, 'user-1', req.body.code, options);
 * ```
 */
export interface VerifyBackupCodeOptions extends BackupCodeFormatOptions {
  /** The hasher the set was issued with. */
  hasher: BackupCodeHasher;
  /** Current time (Unix milliseconds), from the host's injected clock. */
  now: number;
  /**
   * `low` is true when at most this many codes are left after a successful use, so the host can
   * prompt the user to regenerate.
   * @default 3
   */
  lowWatermark?: number | undefined;
  /** Called with the `backup_code.used` event after a code was consumed. */
  onEvent?: BackupCodeEventListener | undefined;
}

/**
 * Why a backup code was not accepted. Every one of them is a failed attempt for throttling (F10).
 *
 * The reason is for the host (logs, metrics, support), never for the person signing in: show one and the
 * same message for all three (checklist I11). Telling `no_codes` apart would reveal to an attacker
 * whether the account has backup codes.
 *
 * @example
 * ```ts
 * import type { BackupCodeFailure } from '@secondfactor/backup-codes';
 *
 * const reason: BackupCodeFailure = 'no_codes';
 * metrics.increment(`backup_code.rejected.${reason}`); // the user sees one message for every reason
 * ```
 */
export type BackupCodeFailure =
  /** Not exactly one code of the format (wrong length, foreign characters, two codes pasted). */
  | 'malformed'
  /** A well-formed code that is not an unused code of the user's set (wrong, already used, or old set). */
  | 'mismatch'
  /** The user has no unused backup code. */
  | 'no_codes';

/**
 * The salt of the user's set, or, when the user has no unused code, a fresh salt at the hasher's
 * configured cost: the decoy makes the digest cost what a wrong code costs (I11). A fresh salt matches
 * no stored digest.
 */
async function saltOf(
  store: SecondFactorStore,
  userId: string,
  hasher: BackupCodeHasher,
): Promise<string | undefined> {
  const set = await store.getBackupCodeSet(userId);
  if (set === null || set.remaining === 0) return hasher.newSalt();
  if (set.salt === undefined) {
    throw new SecondFactorError(
      'internal',
      'options.hasher is in scrypt mode but the set was issued in hmac mode',
    );
  }
  return set.salt;
}

/** A normalised code of the format's length, digested in place of malformed input (I11). */
function placeholderCode(options: BackupCodeFormatOptions): string {
  return '0'.repeat(resolveFormat(options).length);
}

/**
 * Outcome of {@link verifyAndConsume}.
 *
 * @example
 * ```ts
 * import { type VerifyBackupCodeResult, verifyAndConsume } from '@secondfactor/backup-codes';
 *
 * const options = { hasher, now: clock() };
 * const result: VerifyBackupCodeResult = await verifyAndConsume(store, 'user-1', req.body.code, options);
 * if (result.valid) {
 *   if (result.low) showRegeneratePrompt(result.remaining);
 * } else {
 *   countFailedAttempt('user-1', result.reason); // one message for the user, whatever the reason
 * }
 * ```
 */
export type VerifyBackupCodeResult =
  | { valid: true; remaining: number; low: boolean; event: BackupCodeEvent }
  | { valid: false; reason: BackupCodeFailure };

/**
 * Checks `input` against the user's backup codes and, if it matches an unused one, consumes it in the
 * same store step. Of any number of concurrent calls with the same code exactly one gets `valid: true`.
 *
 * One call digests at most one code and consumes at most one (F9); input that holds more than one code
 * is `malformed`. In hmac mode the check is a single store call; in scrypt mode the set's salt is read
 * first. Throttling is the caller's job (F10): count every `valid: false` as a failed second-factor attempt
 * together with TOTP and one-time-code failures, and check the lockout before calling this.
 *
 * Every call computes exactly one digest, so the time to answer does not tell whether the user has
 * codes (checklist I11): a user without codes, or with all codes used, gets a digest under a fresh decoy
 * salt at the hasher's configured cost, and malformed input gets one of a placeholder code of the same
 * length. A user without codes also makes the same store calls as a wrong code (read the salt in scrypt
 * mode, then `consumeBackupCode`); only malformed input, whose answer does not depend on the user, skips
 * the store. A set issued at an older scrypt cost keeps that cost until it is regenerated. The returned
 * `reason` still says which case it was: it is for the host; show the user one message for every failure.
 *
 * @throws {SecondFactorError} `invalid_argument` for bad options or user id; `internal` when a scrypt
 * hasher meets a set issued without a salt (hmac mode).
 *
 * @example
 * ```ts
 * import { verifyAndConsume } from '@secondfactor/backup-codes';
 *
 * const result = await verifyAndConsume(store, 'user-1', req.body.code, { hasher, now: Date.now() });
 * if (result.valid && result.low) {
 *   // tell the user only result.remaining codes are left
 * }
 * ```
 */
export async function verifyAndConsume(
  store: SecondFactorStore,
  userId: string,
  input: unknown,
  options: VerifyBackupCodeOptions,
): Promise<VerifyBackupCodeResult> {
  assertId('userId', userId);
  if (typeof options !== 'object' || options === null) {
    throw new SecondFactorError('invalid_argument', 'options must be an object');
  }
  assertTime('options.now', options.now);
  const { hasher } = options;
  if (typeof hasher?.digest !== 'function' || typeof hasher.newSalt !== 'function') {
    throw new SecondFactorError('invalid_argument', 'options.hasher must come from createBackupCodeHasher');
  }
  const lowWatermark = options.lowWatermark ?? 3;
  if (!Number.isSafeInteger(lowWatermark) || lowWatermark < 0 || lowWatermark > 100) {
    throw new SecondFactorError('invalid_argument', 'options.lowWatermark must be an integer from 0 to 100');
  }

  // F8: normalised before hashing, so every spelling of a code has one digest.
  const code = normalizeBackupCode(input, options);
  if (code === null) {
    // I11: the same digest work as a well-formed code, so the format check is not a faster path.
    await hasher.digest(userId, placeholderCode(options), hasher.newSalt());
    return { valid: false, reason: 'malformed' };
  }

  const salt = hasher.mode === 'scrypt' ? await saltOf(store, userId, hasher) : undefined;
  // A lookup by keyed or salted digest: the index comparison sees values an attacker cannot predict, so
  // it needs no constant-time compare of its own.
  const digest = await hasher.digest(userId, code, salt);
  // Also called for a user without codes (with the decoy digest, which matches nothing), so both paths
  // make the same store calls; the store answers `remaining: 0` and the reason is `no_codes`.
  const result = await store.consumeBackupCode(userId, digest);
  if (!result.consumed) return { valid: false, reason: result.remaining === 0 ? 'no_codes' : 'mismatch' };

  const event: BackupCodeEvent = {
    type: 'backup_code.used',
    userId,
    remaining: result.remaining,
    at: options.now,
  };
  if (options.onEvent !== undefined) await options.onEvent(event);
  return { valid: true, remaining: result.remaining, low: result.remaining <= lowWatermark, event };
}
