/**
 * @module
 * `@secondfactor/store`: the storage contract of secondfactor (`SecondFactorStore` and its records),
 * `MemoryStore`, secrets encrypted at rest (`SecretBox`, `rotateStoreSecrets`) and the contract's limits.
 * Adapter authors find `CheckedStore` and the lockout arithmetic in `@secondfactor/store/adapter`, and
 * the conformance suite in `@secondfactor/store/testing`.
 */
export {
  DEFAULT_PAGE_SIZE,
  MAX_BACKUP_CODES,
  MAX_DURATION,
  MAX_FAILURE_KEYS,
  MAX_PAGE_SIZE,
  MAX_TIME,
} from './limits';
export { MemoryStore, type MemoryStoreOptions } from './memory/store';
export type {
  AuditEvent,
  BackupCodeSet,
  ChallengePurpose,
  ChallengeRecord,
  ConsumeChallengeResult,
  CredentialRecord,
  FailureState,
  OtpFields,
  PendingEnrollmentRecord,
  TenantSettings,
  TrustedDeviceRecord,
  TwoFactorSummary,
  UserSettings,
} from './records';
export { type RotateStoreSecretsOptions, type RotateStoreSecretsResult, rotateStoreSecrets } from './rotate';
export { type SecretBinding, SecretBox, type SecretBoxOptions } from './secret-box';
export type { SecondFactorStore } from './store';
export type {
  AddressHolder,
  AddressHolderQuery,
  AuditFilter,
  CompleteLoginOptions,
  CompleteLoginOtp,
  CompleteLoginResult,
  ConfirmEnrollmentOptions,
  ConfirmEnrollmentResult,
  ConsumeBackupCodeResult,
  ConsumeChallengeOptions,
  CredentialForVerification,
  CredentialForVerificationOptions,
  FailLoginOptions,
  FailLoginResult,
  ListOtpCredentialsOptions,
  ListUserSettingsOptions,
  NewBackupCodeSet,
  NewChallenge,
  NowOptions,
  RecordOtpUseOptions,
  RegisterFailureOptions,
  ReplaceCredentialSecretOptions,
  ResetUserResult,
  RotateChallengeOptions,
  StoreCapabilities,
  SweepExpiredOptions,
  SweepExpiredResult,
  UpdateUserSettingsOptions,
  UserSettingsPatch,
} from './store-types';
export { assertId, assertTime } from './validate';
