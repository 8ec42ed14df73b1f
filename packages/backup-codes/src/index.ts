/**
 * @module
 * `@secondfactor/backup-codes`: backup (recovery) codes — generation from the platform CSPRNG,
 * normalisation, keyed or salted digests, atomic verify-and-consume through a store, regeneration and
 * the text file a user saves.
 */

export type { BackupCodeEvent, BackupCodeEventListener, BackupCodeEventType } from './events';
export { type BackupCodesFileInput, backupCodesFileName, formatBackupCodesFile } from './file';
export {
  type BackupCodeAlphabet,
  type BackupCodeFormatOptions,
  backupCodeBits,
  CROCKFORD_ALPHABET,
  MAX_CODE_LENGTH,
  MIN_THROTTLED_BITS,
  MIN_UNTHROTTLED_BITS,
  NUMERIC_ALPHABET,
} from './format';
export { displayBackupCode, type GenerateBackupCodesOptions, generateBackupCodes } from './generate';
export {
  type BackupCodeHasher,
  createBackupCodeHasher,
  DEFAULT_SCRYPT_COST,
  type HmacHasherOptions,
  MIN_HMAC_KEY_BYTES,
  type ScryptCost,
  type ScryptHasherOptions,
} from './hasher';
export {
  type IssueBackupCodesOptions,
  type IssuedBackupCodes,
  issueBackupCodes,
  type RegenerateBackupCodesOptions,
  regenerateBackupCodes,
} from './issue';
export { normalizeBackupCode } from './normalize';
export {
  type BackupCodeFailure,
  type VerifyBackupCodeOptions,
  type VerifyBackupCodeResult,
  verifyAndConsume,
} from './verify';
