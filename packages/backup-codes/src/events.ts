/**
 * @module
 * Notification events (checklist F7). They say what happened and how many codes are left; they never
 * carry a code, a digest or a salt, so they are safe to log, store in the audit log and send to the user.
 */

/** Types of {@link BackupCodeEvent}. */
export type BackupCodeEventType = 'backup_codes.issued' | 'backup_codes.regenerated' | 'backup_code.used';

/** Something the user should hear about: a first set, a new set replacing the old one, or a code used. */
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
 */
export type BackupCodeEventListener = (event: BackupCodeEvent) => void | Promise<void>;
