export {
  assertDigestSet,
  assertFailureKeys,
  assertIdList,
  assertOptions,
  assertSalt,
  assertStep,
  type CheckedRecordOtpUseOptions,
  checkRecordOtpUseOptions,
  DEFAULT_PAGE_SIZE,
  MAX_BACKUP_CODES,
  MAX_FAILURE_KEYS,
  MAX_PAGE_SIZE,
  pageLimit,
} from './arguments';
export { type FailureCounter, nextFailureCounter, readFailureState } from './failures';
export { MemoryStore, type MemoryStoreOptions } from './memory';
export type {
  AuditEvent,
  BackupCodeSet,
  ChallengePurpose,
  ChallengeRecord,
  ConsumeChallengeResult,
  CredentialRecord,
  FailureLimits,
  FailureState,
  MethodKind,
  OtpAlgorithm,
  OtpFields,
  PendingEnrollmentRecord,
  TrustedDeviceRecord,
  TwoFactorSummary,
  UserSettings,
} from './records';
export { type RotateStoreSecretsOptions, type RotateStoreSecretsResult, rotateStoreSecrets } from './rotate';
export { type SecretBinding, SecretBox, type SecretBoxOptions } from './secret-box';
export type {
  ConfirmEnrollmentOptions,
  ConfirmEnrollmentResult,
  ConsumeBackupCodeResult,
  CredentialForVerification,
  CredentialForVerificationOptions,
  RecordOtpUseOptions,
  ResetUserResult,
  SecondFactorStore,
  StoreCapabilities,
} from './store';
export {
  assertAuditEvent,
  assertChallenge,
  assertCiphertext,
  assertCredential,
  assertDigest,
  assertFailureLimits,
  assertId,
  assertInteger,
  assertOptionalId,
  assertPendingEnrollment,
  assertText,
  assertTime,
  assertTrustedDevice,
  assertUserSettings,
} from './validate';
