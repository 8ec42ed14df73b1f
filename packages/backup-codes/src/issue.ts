/**
 * @module
 * Issuing a set: generate, store the digests in one step, hand the plaintext back once (checklist F4,
 * F5). There is deliberately no function that reads codes back: after this call only digests exist.
 */

import { SecondFactorError } from '@secondfactor/core';
import { assertId, assertTime, type SecondFactorStore } from '@secondfactor/store';
import type { BackupCodeEvent, BackupCodeEventListener, BackupCodeEventType } from './events';
import { _generateCodes, displayBackupCode, type GenerateBackupCodesOptions } from './generate';
import type { BackupCodeHasher } from './hasher';

/**
 * Options of {@link issueBackupCodes}.
 *
 * @example
 * ```ts
 * import { createBackupCodeHasher, type IssueBackupCodesOptions, issueBackupCodes } from '@secondfactor/backup-codes';
 *
 * const options: IssueBackupCodesOptions = {
 *   hasher: createBackupCodeHasher({ key: serverKeyBytes }),
 *   now: clock(),
 *   count: 8,
 *   onEvent: (event) => notifyUser(event),
 * };
 * const { codes } = await issueBackupCodes(store, 'user-1', options);
 * ```
 */
export interface IssueBackupCodesOptions extends GenerateBackupCodesOptions {
  /** Hasher whose digests the store keeps; the same one verifies. */
  hasher: BackupCodeHasher;
  /** Current time (Unix milliseconds), from the host's injected clock. */
  now: number;
  /** Called with the `backup_codes.issued` / `backup_codes.regenerated` event after the store write. */
  onEvent?: BackupCodeEventListener | undefined;
}

/**
 * Options of {@link regenerateBackupCodes}.
 *
 * @example
 * ```ts
 * import { type RegenerateBackupCodesOptions, regenerateBackupCodes } from '@secondfactor/backup-codes';
 *
 * // only after the user proved an existing factor for this action
 * const options: RegenerateBackupCodesOptions = { hasher, now: clock(), reauthenticated: true };
 * const { codes } = await regenerateBackupCodes(store, 'user-1', options);
 * ```
 */
export interface RegenerateBackupCodesOptions extends IssueBackupCodesOptions {
  /**
   * The caller's statement that the user proved an existing factor for this action just now — a current
   * TOTP code, a backup code, or the service's step-up (checklist F6). This package cannot see sessions,
   * so it cannot check the proof; it makes the check impossible to forget: the type demands `true`
   * and any other value throws `fresh_auth_required`.
   */
  reauthenticated: true;
}

/**
 * What issuing returns: the plaintext codes, this one time, and the event to notify about.
 *
 * @example
 * ```ts
 * import { type IssuedBackupCodes, issueBackupCodes } from '@secondfactor/backup-codes';
 *
 * const issued: IssuedBackupCodes = await issueBackupCodes(store, 'user-1', { hasher, now: clock() });
 * res.json({ codes: issued.codes }); // the only time the plaintext exists
 * await notifyUser(issued.event); // { type: 'backup_codes.issued', remaining: 10, … }
 * ```
 */
export interface IssuedBackupCodes {
  /** The codes for display, download or print. Show them once; they cannot be fetched again (F5). */
  codes: string[];
  event: BackupCodeEvent;
}

async function storeNewSet(
  store: SecondFactorStore,
  userId: string,
  options: IssueBackupCodesOptions,
  canonical: readonly string[],
  type: BackupCodeEventType,
): Promise<IssuedBackupCodes> {
  const hasher = options.hasher;
  const salt = hasher.newSalt();
  const digests: string[] = [];
  // One after the other: in scrypt mode each digest holds 32 MiB, and ten at once would hold ten times that.
  for (const code of canonical) digests.push(await hasher.digest(userId, code, salt));
  // F4: the store swaps the whole set in one step; no code of the old set works once this resolves.
  // A first issue writes only if the user has no set, decided by the store in that same step, so of
  // concurrent first issues exactly one is stored and no caller is handed codes that do not work.
  const onlyIfNone = type === 'backup_codes.issued';
  if (!(await store.replaceBackupCodes(userId, { digests, salt, now: options.now, onlyIfNone }))) {
    throw new SecondFactorError('conflict', 'userId already has backup codes; use regenerateBackupCodes');
  }
  const event: BackupCodeEvent = { type, userId, remaining: digests.length, at: options.now };
  const groupSize = options.groupSize ?? 4;
  const codes = canonical.map((code) => displayBackupCode(code, groupSize));
  if (options.onEvent !== undefined) await options.onEvent(event);
  return { codes, event };
}

function checkCommon(userId: string, options: IssueBackupCodesOptions): void {
  assertId('userId', userId);
  if (typeof options !== 'object' || options === null) {
    throw new SecondFactorError('invalid_argument', 'options must be an object');
  }
  assertTime('options.now', options.now);
  if (typeof options.hasher?.digest !== 'function') {
    throw new SecondFactorError('invalid_argument', 'options.hasher must come from createBackupCodeHasher');
  }
}

/**
 * The user's first set of backup codes (at enrollment, or after an admin reset removed the old set).
 * Generates the codes, stores only their digests and returns the plaintext once.
 *
 * Refuses with `conflict` when the user already has a set (any set the store reports, even one whose
 * codes are all used), so that replacing a set always goes through {@link regenerateBackupCodes} and its
 * re-authentication rule (F6). The check and the write are one atomic store step (`replaceBackupCodes`
 * with `onlyIfNone`): of concurrent first issues for one user exactly one succeeds, and the others get
 * `conflict` without changing the stored set. A refused call still spends the hashing work first.
 *
 * @throws {SecondFactorError} `invalid_argument` for bad options; `conflict` when a set exists.
 *
 * @example
 * ```ts
 * import { createBackupCodeHasher, issueBackupCodes } from '@secondfactor/backup-codes';
 * import { MemoryStore } from '@secondfactor/store';
 *
 * const hasher = createBackupCodeHasher({ key: serverKeyBytes });
 * const { codes } = await issueBackupCodes(new MemoryStore(), 'user-1', { hasher, now: Date.now() });
 * ```
 */
export async function issueBackupCodes(
  store: SecondFactorStore,
  userId: string,
  options: IssueBackupCodesOptions,
): Promise<IssuedBackupCodes> {
  checkCommon(userId, options);
  // The "no set yet" check is the store's `onlyIfNone`, atomic with the write (see storeNewSet).
  return storeNewSet(store, userId, options, _generateCodes(options), 'backup_codes.issued');
}

/**
 * A new set replacing the user's current one in one store step: every old code stops working when this
 * resolves (F4), the new plaintext is returned once (F5), and a `backup_codes.regenerated` event is
 * returned and passed to `onEvent` (F7). The caller must have re-authenticated the user with an existing
 * factor and say so with `reauthenticated: true` (F6).
 *
 * @throws {SecondFactorError} `fresh_auth_required` without `reauthenticated: true`; `invalid_argument`
 * for bad options.
 *
 * @example
 * ```ts
 * import { regenerateBackupCodes } from '@secondfactor/backup-codes';
 *
 * // after the service verified a current TOTP or backup code for this action:
 * const { codes, event } = await regenerateBackupCodes(store, 'user-1', {
 *   hasher,
 *   now: Date.now(),
 *   reauthenticated: true,
 * });
 * ```
 */
export async function regenerateBackupCodes(
  store: SecondFactorStore,
  userId: string,
  options: RegenerateBackupCodesOptions,
): Promise<IssuedBackupCodes> {
  checkCommon(userId, options);
  if (options.reauthenticated !== true) {
    throw new SecondFactorError(
      'fresh_auth_required',
      'options.reauthenticated must be true: verify an existing factor before regenerating backup codes',
    );
  }
  return storeNewSet(store, userId, options, _generateCodes(options), 'backup_codes.regenerated');
}
