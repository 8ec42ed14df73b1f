/**
 * @module
 * Notification events (checklist F7). They say what happened and how many codes are left; they never
 * carry a code, a digest or a salt, so they are safe to log, store in the audit log and send to the user.
 */

/**
 * Types of {@link BackupCodeEvent}.
 *
 * @example
 * ```ts
 * import type { BackupCodeEventType } from '@secondfactor/backup-codes';
 *
 * const subjects: Record<BackupCodeEventType, string> = {
 *   'backup_codes.issued': 'Backup codes created',
 *   'backup_codes.regenerated': 'New backup codes replaced your old ones',
 *   'backup_code.used': 'A backup code was used to sign in',
 * };
 * ```
 */
export type BackupCodeEventType = 'backup_codes.issued' | 'backup_codes.regenerated' | 'backup_code.used';

/**
 * Something the user should hear about: a first set, a new set replacing the old one, or a code used.
 *
 * @example
 * ```ts
 * import { issueBackupCodes } from '@secondfactor/backup-codes';
 *
 * const { event } = await issueBackupCodes(store, 'user-1', { hasher, now: Date.now() });
 * // { type: 'backup_codes.issued', userId: 'user-1', remaining: 10, at: … }
 * auditLog.write(event.type, event.userId, { remaining: event.remaining, at: event.at });
 * ```
 */
export interface BackupCodeEvent {
  type: BackupCodeEventType;
  userId: string;
  /** Unused codes of the user's set after the event. */
  remaining: number;
  /** When it happened (Unix milliseconds, the `now` the caller passed). */
  at: number;
}

/**
 * Receives {@link BackupCodeEvent}s after the store change is done. It is awaited; an error it throws
 * reaches the caller, but the change stays made (a used code stays used), so a listener should handle
 * its own delivery failures.
 *
 * @example
 * ```ts
 * import { type BackupCodeEventListener, verifyAndConsume } from '@secondfactor/backup-codes';
 *
 * const onEvent: BackupCodeEventListener = async (event) => {
 *   try {
 *     await mailer.send(event.userId, `${event.type}: ${event.remaining} backup codes left`);
 *   } catch (error) {
 *     logger.warn({ error, event }, 'backup-code notification not sent');
 *   }
 * };
 * const result = await verifyAndConsume(store, 'user-1', req.body.code, { hasher, now: Date.now(), onEvent });
 * ```
 */
export type BackupCodeEventListener = (event: BackupCodeEvent) => void | Promise<void>;
