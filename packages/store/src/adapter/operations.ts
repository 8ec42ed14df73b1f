/**
 * @module
 * `StoreOperations`: what an adapter writes. One operation per method of `SecondFactorStore`, each
 * receiving its arguments already checked by {@link CheckedStore}: ids valid, times and durations in
 * range, digests whole bytes, lists copied, records copied with only the contract's fields, defaults
 * filled. An operation does its one atomic step and nothing else.
 */
import type { FailureLimits } from '@secondfactor/core';
import type {
  AuditEvent,
  BackupCodeSet,
  ChallengeRecord,
  ConsumeChallengeResult,
  CredentialRecord,
  FailureState,
  PendingEnrollmentRecord,
  TenantSettings,
  TrustedDeviceRecord,
  TwoFactorSummary,
  UserSettings,
} from '../records';
import type {
  AddressHolder,
  CompleteLoginResult,
  ConfirmEnrollmentResult,
  ConsumeBackupCodeResult,
  ConsumeChallengeOptions,
  CredentialForVerification,
  CredentialForVerificationOptions,
  FailLoginResult,
  NowOptions,
  ReplaceCredentialSecretOptions,
  ResetUserResult,
  RotateChallengeOptions,
  SweepExpiredResult,
  UserSettingsPatch,
} from '../store-types';

/**
 * A checked page of `listUserSettings` or `listOtpCredentials`: `after` a valid id or absent, `limit`
 * from 1 to `MAX_PAGE_SIZE` (`DEFAULT_PAGE_SIZE` when the caller gave none).
 *
 * @example
 * ```ts
 * import type { CheckedPage } from '@secondfactor/store/adapter';
 *
 * const page: CheckedPage = { after: undefined, limit: 100 };
 * ```
 */
export interface CheckedPage {
  after: string | undefined;
  limit: number;
}

/**
 * The checked options of `recordOtpUse`: the key lists are copies (empty when omitted), `ifSecret` a
 * sealed secret or absent.
 *
 * @example
 * ```ts
 * import type { CheckedRecordOtpUseOptions } from '@secondfactor/store/adapter';
 *
 * const options: CheckedRecordOtpUseOptions = {
 *   step: 57_000_001,
 *   now: Date.now(),
 *   driftSteps: undefined,
 *   ifSecret: undefined,
 *   unlessLocked: ['user:42'],
 *   clearFailures: [],
 * };
 * ```
 */
export interface CheckedRecordOtpUseOptions {
  step: number;
  now: number;
  driftSteps: number | undefined;
  ifSecret: string | undefined;
  unlessLocked: string[];
  clearFailures: string[];
}

/**
 * The checked options of `confirmEnrollment`: `replaces` is a copy (empty when omitted).
 *
 * @example
 * ```ts
 * import type { CheckedConfirmEnrollmentOptions } from '@secondfactor/store/adapter';
 *
 * const options: CheckedConfirmEnrollmentOptions = { now: Date.now(), lastUsedStep: 57_000_001, replaces: [] };
 * ```
 */
export interface CheckedConfirmEnrollmentOptions {
  now: number;
  lastUsedStep: number | undefined;
  replaces: string[];
}

/**
 * The checked set of `replaceBackupCodes`: the digests a copy, `onlyIfNone` a boolean (`false` when omitted).
 *
 * @example
 * ```ts
 * import type { CheckedBackupCodeSet } from '@secondfactor/store/adapter';
 *
 * const set: CheckedBackupCodeSet = { digests: ['9f86d081884c7d659a2feaa0c55ad015'], salt: undefined, now: 0, onlyIfNone: false };
 * ```
 */
export interface CheckedBackupCodeSet {
  digests: string[];
  salt: string | undefined;
  now: number;
  onlyIfNone: boolean;
}

/**
 * Checked lockout limits with the defaults filled in: `backoffFactor` 1, `maxLockoutMs` equal to
 * `lockoutMs` when the caller gave none. Every length is from 1 to `MAX_DURATION`.
 *
 * @example
 * ```ts
 * import type { CheckedFailureLimits } from '@secondfactor/store/adapter';
 *
 * const limits: CheckedFailureLimits = { maxFailures: 5, windowMs: 900_000, lockoutMs: 60_000, backoffFactor: 1, maxLockoutMs: 60_000 };
 * ```
 */
export interface CheckedFailureLimits extends FailureLimits {
  backoffFactor: number;
  maxLockoutMs: number;
}

/**
 * The checked options of `registerFailure`: `limits` with their defaults filled.
 *
 * @example
 * ```ts
 * import type { CheckedRegisterFailureOptions } from '@secondfactor/store/adapter';
 *
 * const options: CheckedRegisterFailureOptions = {
 *   now: 0,
 *   limits: { maxFailures: 5, windowMs: 900_000, lockoutMs: 60_000, backoffFactor: 1, maxLockoutMs: 60_000 },
 * };
 * ```
 */
export interface CheckedRegisterFailureOptions {
  now: number;
  limits: CheckedFailureLimits;
}

/**
 * The checked options of `sweepExpired`: `limit` from 1 to `MAX_PAGE_SIZE` (`DEFAULT_PAGE_SIZE` when omitted).
 *
 * @example
 * ```ts
 * import type { CheckedSweepExpiredOptions } from '@secondfactor/store/adapter';
 *
 * const options: CheckedSweepExpiredOptions = { now: 0, limit: 100 };
 * ```
 */
export interface CheckedSweepExpiredOptions {
  now: number;
  limit: number;
}

/**
 * The checked filter of `listAudit`: `limit` from 1 to `MAX_PAGE_SIZE` (`DEFAULT_PAGE_SIZE` when omitted).
 *
 * @example
 * ```ts
 * import type { CheckedAuditFilter } from '@secondfactor/store/adapter';
 *
 * const filter: CheckedAuditFilter = { userId: 'user-1', tenantId: undefined, since: undefined, limit: 100 };
 * ```
 */
export interface CheckedAuditFilter {
  userId: string | undefined;
  tenantId: string | undefined;
  since: number | undefined;
  limit: number;
}

/**
 * The checked patch of `updateUserSettings`: a key is present only when the caller gave a value for it
 * (`null` clears the field); an absent key keeps the stored value.
 *
 * @example
 * ```ts
 * import type { CheckedUserSettingsPatch } from '@secondfactor/store/adapter';
 *
 * const patch: CheckedUserSettingsPatch = { useTwoFactor: true, graceStartedAt: null };
 * ```
 */
export type CheckedUserSettingsPatch = {
  [K in keyof UserSettingsPatch]?: Exclude<UserSettingsPatch[K], undefined>;
};

/**
 * The checked options of `updateUserSettings`.
 *
 * @example
 * ```ts
 * import type { CheckedUpdateUserSettingsOptions } from '@secondfactor/store/adapter';
 *
 * const options: CheckedUpdateUserSettingsOptions = { now: Date.now(), tenantId: undefined };
 * ```
 */
export interface CheckedUpdateUserSettingsOptions {
  now: number;
  tenantId: string | undefined;
}

/**
 * The checked options of `completeLogin`: at most one of `otp` and `backupCodeDigest`, the key lists
 * copies (empty when omitted), `audit` a checked copy or absent.
 *
 * @example
 * ```ts
 * import type { CheckedCompleteLoginOptions } from '@secondfactor/store/adapter';
 *
 * const options: CheckedCompleteLoginOptions = {
 *   now: Date.now(),
 *   otp: { credentialId: 'cred-1', step: 57_000_001, driftSteps: undefined, ifSecret: undefined },
 *   backupCodeDigest: undefined,
 *   unlessLocked: ['user:42'],
 *   clearFailures: ['user:42'],
 *   audit: undefined,
 * };
 * ```
 */
export interface CheckedCompleteLoginOptions {
  now: number;
  otp:
    | { credentialId: string; step: number; driftSteps: number | undefined; ifSecret: string | undefined }
    | undefined;
  backupCodeDigest: string | undefined;
  unlessLocked: string[];
  clearFailures: string[];
  audit: AuditEvent | undefined;
}

/**
 * The checked options of `failLogin`: `keys` a copy of 1 to `MAX_FAILURE_KEYS` distinct ids, `limits`
 * with their defaults filled, `audit` a checked copy whose `data` is an object without `failures` and
 * `locked` (`{}` when the caller gave none): the adapter stores it with those two fields appended, in
 * that order, from the counts of its step.
 *
 * @example
 * ```ts
 * import type { CheckedFailLoginOptions } from '@secondfactor/store/adapter';
 *
 * const options: CheckedFailLoginOptions = {
 *   now: Date.now(),
 *   keys: ['user:42'],
 *   limits: { maxFailures: 5, windowMs: 900_000, lockoutMs: 60_000, backoffFactor: 1, maxLockoutMs: 60_000 },
 *   audit: { id: 'audit-1', at: Date.now(), type: 'login.failed', userId: '42', data: { method: 'totp' } },
 * };
 * ```
 */
export interface CheckedFailLoginOptions {
  now: number;
  keys: string[];
  limits: CheckedFailureLimits;
  audit: AuditEvent & { data: Record<string, unknown> };
}

/**
 * The checked query of `listAddressHolders`: `address` a non-empty text of at most 320 characters,
 * `limit` from 1 to 100 (10 when the caller gave none).
 *
 * @example
 * ```ts
 * import type { CheckedAddressHolderQuery } from '@secondfactor/store/adapter';
 *
 * const query: CheckedAddressHolderQuery = { tenantId: 'acme', address: '+15555550100', limit: 10 };
 * ```
 */
export interface CheckedAddressHolderQuery {
  tenantId: string | undefined;
  address: string;
  limit: number;
}

/**
 * What an adapter implements: the backend side of every method of `SecondFactorStore`, with checked
 * arguments (see {@link CheckedStore} for the checks), in the same order and shape as the method it
 * backs. Each operation keeps the guarantee its method
 * states in the contract: one atomic step of the backend.
 *
 * - Records (`putUserSettings`, `addCredential`, `createPendingEnrollment`, `createChallenge`,
 *   `addTrustedDevice`, `appendAudit`) arrive as checked copies holding only the fields of their type.
 *   `createChallenge` receives the whole `ChallengeRecord` to store: `attempts` 0, `deliveries` set by
 *   the store, no `consumedAt`.
 * - Option bags arrive as the `Checked…` types, copied and with their defaults filled.
 * - An operation may throw or reject; whatever it throws reaches the caller as a rejection.
 *
 * @example
 * ```ts
 * import type { StoreOperations } from '@secondfactor/store/adapter';
 *
 * type GetFailures = StoreOperations['getFailures']; // (key, { now }) with `key` a valid id, `now` a time in range
 * ```
 */
export interface StoreOperations {
  getUserSettings(userId: string): Promise<UserSettings | null>;
  putUserSettings(settings: UserSettings): Promise<void>;
  listUserSettings(tenantId: string, page: CheckedPage): Promise<UserSettings[]>;
  getTwoFactorSummaries(userIds: string[]): Promise<TwoFactorSummary[]>;

  addCredential(credential: CredentialRecord): Promise<void>;
  getCredential(userId: string, credentialId: string): Promise<CredentialRecord | null>;
  listCredentials(userId: string): Promise<CredentialRecord[]>;
  deleteCredential(userId: string, credentialId: string): Promise<boolean>;
  recordOtpUse(userId: string, credentialId: string, options: CheckedRecordOtpUseOptions): Promise<boolean>;
  getCredentialForVerification(
    userId: string,
    credentialId: string,
    options: CredentialForVerificationOptions,
  ): Promise<CredentialForVerification>;
  replaceCredentialSecret(
    userId: string,
    credentialId: string,
    options: ReplaceCredentialSecretOptions,
  ): Promise<boolean>;
  listOtpCredentials(page: CheckedPage): Promise<CredentialRecord[]>;

  createPendingEnrollment(pending: PendingEnrollmentRecord): Promise<void>;
  getPendingEnrollment(
    userId: string,
    pendingId: string,
    options: NowOptions,
  ): Promise<PendingEnrollmentRecord | null>;
  confirmEnrollment(
    userId: string,
    pendingId: string,
    options: CheckedConfirmEnrollmentOptions,
  ): Promise<ConfirmEnrollmentResult>;
  deletePendingEnrollment(userId: string, pendingId: string): Promise<boolean>;

  replaceBackupCodes(userId: string, set: CheckedBackupCodeSet): Promise<boolean>;
  getBackupCodeSet(userId: string): Promise<BackupCodeSet | null>;
  consumeBackupCode(userId: string, digest: string): Promise<ConsumeBackupCodeResult>;

  createChallenge(challenge: ChallengeRecord): Promise<void>;
  getChallenge(userId: string, challengeId: string): Promise<ChallengeRecord | null>;
  consumeChallenge(
    userId: string,
    challengeId: string,
    attempt: ConsumeChallengeOptions,
  ): Promise<ConsumeChallengeResult>;
  rotateChallenge(
    userId: string,
    challengeId: string,
    next: RotateChallengeOptions,
  ): Promise<ChallengeRecord | null>;
  deleteChallenge(userId: string, challengeId: string): Promise<boolean>;

  registerFailure(key: string, options: CheckedRegisterFailureOptions): Promise<FailureState>;
  getFailures(key: string, options: NowOptions): Promise<FailureState>;
  clearFailures(key: string): Promise<void>;

  addTrustedDevice(device: TrustedDeviceRecord): Promise<void>;
  findTrustedDevice(userId: string, digest: string, options: NowOptions): Promise<TrustedDeviceRecord | null>;
  revokeTrustedDevices(userId: string): Promise<number>;

  resetUser(userId: string): Promise<ResetUserResult>;
  sweepExpired(options: CheckedSweepExpiredOptions): Promise<SweepExpiredResult>;

  updateUserSettings(
    userId: string,
    patch: CheckedUserSettingsPatch,
    options: CheckedUpdateUserSettingsOptions,
  ): Promise<UserSettings>;
  renameCredential(userId: string, credentialId: string, label: string): Promise<boolean>;
  switchCredential(userId: string, credentialId: string, switchedOffAt: number | null): Promise<boolean>;
  listAddressHolders(query: CheckedAddressHolderQuery): Promise<AddressHolder[]>;
  completeLogin(
    userId: string,
    challengeId: string,
    options: CheckedCompleteLoginOptions,
  ): Promise<CompleteLoginResult>;
  failLogin(
    userId: string,
    challengeId: string | null,
    options: CheckedFailLoginOptions,
  ): Promise<FailLoginResult>;
  getSessionEpoch(userId: string): Promise<number>;
  bumpSessionEpoch(userId: string): Promise<number>;
  getTenantSettings(tenantId: string): Promise<TenantSettings | null>;
  putTenantSettings(settings: TenantSettings): Promise<void>;

  appendAudit(event: AuditEvent): Promise<void>;
  listAudit(filter: CheckedAuditFilter): Promise<AuditEvent[]>;

  close(): Promise<void>;
}

/**
 * Every operation, by name: what `CheckedStore` requires of `operations` and what a subclass must not override.
 *
 * @internal
 */
export const OPERATIONS: readonly (keyof StoreOperations)[] = [
  'getUserSettings',
  'putUserSettings',
  'listUserSettings',
  'getTwoFactorSummaries',
  'addCredential',
  'getCredential',
  'listCredentials',
  'deleteCredential',
  'recordOtpUse',
  'getCredentialForVerification',
  'replaceCredentialSecret',
  'listOtpCredentials',
  'createPendingEnrollment',
  'getPendingEnrollment',
  'confirmEnrollment',
  'deletePendingEnrollment',
  'replaceBackupCodes',
  'getBackupCodeSet',
  'consumeBackupCode',
  'createChallenge',
  'getChallenge',
  'consumeChallenge',
  'rotateChallenge',
  'deleteChallenge',
  'registerFailure',
  'getFailures',
  'clearFailures',
  'addTrustedDevice',
  'findTrustedDevice',
  'revokeTrustedDevices',
  'resetUser',
  'sweepExpired',
  'updateUserSettings',
  'renameCredential',
  'switchCredential',
  'listAddressHolders',
  'completeLogin',
  'failLogin',
  'getSessionEpoch',
  'bumpSessionEpoch',
  'getTenantSettings',
  'putTenantSettings',
  'appendAudit',
  'listAudit',
  'close',
];
