/**
 * @module
 * Signing in with a backup code: normalise, digest, and consume through the store's one atomic
 * primitive, so a code works once even when many requests race (checklist D4, F3, F9).
 */

import { SecondFactorError } from '@secondfactor/core';
import { assertId, assertTime, type SecondFactorStore } from '@secondfactor/store';
import type { BackupCodeEvent, BackupCodeEventListener } from './events';
import type { BackupCodeFormatOptions } from './format';
import type { BackupCodeHasher } from './hasher';
import { normalizeBackupCode } from './normalize';

/** Options of {@link verifyAndConsume}. Pass the same format options the codes were issued with. */
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

/** Why a backup code was not accepted. Every one of them is a failed attempt for throttling (F10). */
export type BackupCodeFailure =
  /** Not exactly one code of the format (wrong length, foreign characters, two codes pasted). */
  | 'malformed'
  /** A well-formed code that is not an unused code of the user's set (wrong, already used, or old set). */
  | 'mismatch'
  /** The user has no unused backup code. */
  | 'no_codes';

/** Outcome of {@link verifyAndConsume}. */
export type VerifyBackupCodeResult =
  | { ok: true; remaining: number; low: boolean; event: BackupCodeEvent }
  | { ok: false; reason: BackupCodeFailure };

/**
 * Checks `input` against the user's backup codes and, if it matches an unused one, consumes it in the
 * same store step. Of any number of concurrent calls with the same code exactly one gets `ok: true`.
 *
 * One call digests at most one code and consumes at most one (F9); input that holds more than one code
 * is `malformed`. In hmac mode the check is a single store call; in scrypt mode the set's salt is read
 * first. Throttling is the caller's job (F10): count every `ok: false` as a failed second-factor attempt
 * together with TOTP and one-time-code failures, and check the lockout before calling this.
 *
 * @throws {SecondFactorError} `invalid_argument` for bad options or user id; `internal` when a scrypt
 * hasher meets a set issued without a salt (hmac mode).
 *
 * @example
 * ```ts
 * import { verifyAndConsume } from '@secondfactor/backup-codes';
 *
 * const result = await verifyAndConsume(store, 'user-1', req.body.code, { hasher, now: Date.now() });
 * if (result.ok && result.low) {
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
  if (typeof hasher?.digest !== 'function') {
    throw new SecondFactorError('invalid_argument', 'options.hasher must come from createBackupCodeHasher');
  }
  const lowWatermark = options.lowWatermark ?? 3;
  if (!Number.isSafeInteger(lowWatermark) || lowWatermark < 0 || lowWatermark > 100) {
    throw new SecondFactorError('invalid_argument', 'options.lowWatermark must be an integer from 0 to 100');
  }

  // F8: normalised before hashing, so every spelling of a code has one digest.
  const code = normalizeBackupCode(input, options);
  if (code === null) return { ok: false, reason: 'malformed' };

  let salt: string | undefined;
  if (hasher.mode === 'scrypt') {
    const set = await store.getBackupCodeSet(userId);
    if (set === null || set.remaining === 0) return { ok: false, reason: 'no_codes' };
    if (set.salt === undefined) {
      throw new SecondFactorError(
        'internal',
        'options.hasher is in scrypt mode but the set was issued in hmac mode',
      );
    }
    salt = set.salt;
  }
  // A lookup by keyed or salted digest: the index comparison sees values an attacker cannot predict, so
  // it needs no constant-time compare of its own.
  const digest = await hasher.digest(userId, code, salt);
  const result = await store.consumeBackupCode(userId, digest, options.now);
  if (!result.consumed) return { ok: false, reason: result.remaining === 0 ? 'no_codes' : 'mismatch' };

  const event: BackupCodeEvent = {
    type: 'backup_code.used',
    userId,
    remaining: result.remaining,
    at: options.now,
  };
  if (options.onEvent !== undefined) await options.onEvent(event);
  return { ok: true, remaining: result.remaining, low: result.remaining <= lowWatermark, event };
}
