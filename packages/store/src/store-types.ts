/**
 * @module
 * The argument and result types of the storage contract's methods, named once: every adapter, the
 * memory store and `CheckedStore` use these, never an inline copy. The methods themselves, with their
 * guarantees, are in `store.ts`.
 */
import type { FailureLimits, Method, TwoFactorSwitch } from '@secondfactor/core';
import type { AuditEvent, ChallengeRecord, CredentialRecord, FailureState } from './records';

/**
 * What an adapter promises beyond the contract. The conformance suite reads both: an adapter that
 * declares `multiProcess` must pass the races across processes, one that declares `durable` must show
 * its records to a second store opened over the same backend.
 *
 * @example
 * ```ts
 * import { MemoryStore, type StoreCapabilities } from '@secondfactor/store';
 *
 * const { multiProcess }: StoreCapabilities = new MemoryStore().capabilities;
 * if (!multiProcess) console.warn('one process only: do not run several app instances on this store');
 * ```
 */
export interface StoreCapabilities {
  /** Atomic primitives hold across processes sharing the backing server (not true of `MemoryStore`). */
  multiProcess: boolean;
  /** Data survives a restart of the application. */
  durable: boolean;
}

/**
 * What {@link SecondFactorStore.createChallenge} takes: a challenge without the fields the store owns.
 * The store sets `attempts` to 0, `deliveries` to 1 (0 while `digest` is `null`: nothing sent yet) and
 * leaves `consumedAt` unset; a caller that sets any of the three is refused (`invalid_argument`), so no
 * challenge is born locked, consumed or already resent.
 *
 * @example
 * ```ts
 * import { MemoryStore, type NewChallenge } from '@secondfactor/store';
 *
 * const now = Date.now();
 * const challenge: NewChallenge = {
 *   id: crypto.randomUUID(),
 *   userId: 'user-1',
 *   kind: 'email',
 *   purpose: 'login',
 *   digest: codeDigest,
 *   createdAt: now,
 *   expiresAt: now + 10 * 60_000,
 *   maxAttempts: 5,
 * };
 * await new MemoryStore().createChallenge(challenge); // stored with attempts 0, deliveries 1
 * ```
 */
export type NewChallenge = Omit<ChallengeRecord, 'attempts' | 'deliveries' | 'consumedAt'>;

/**
 * Options of {@link SecondFactorStore.listUserSettings}: a page of a tenant's users, by user id.
 *
 * @example
 * ```ts
 * import { type ListUserSettingsOptions, MemoryStore } from '@secondfactor/store';
 *
 * const page: ListUserSettingsOptions = { after: 'user-099', limit: 100 };
 * const users = await new MemoryStore().listUserSettings('acme', page);
 * ```
 */
export interface ListUserSettingsOptions {
  /** Only users whose id sorts after this one (the last id of the previous page). */
  after?: string | undefined;
  /**
   * At most this many, from 1 to `MAX_PAGE_SIZE` (1000).
   * @default DEFAULT_PAGE_SIZE (100)
   */
  limit?: number | undefined;
}

/**
 * Options of {@link SecondFactorStore.listOtpCredentials}: a page of credentials with a sealed secret, by id.
 *
 * @example
 * ```ts
 * import { type ListOtpCredentialsOptions, MemoryStore } from '@secondfactor/store';
 *
 * const page: ListOtpCredentialsOptions = { limit: 500 };
 * const credentials = await new MemoryStore().listOtpCredentials(page);
 * ```
 */
export interface ListOtpCredentialsOptions {
  /** Only credentials whose id sorts after this one (the last id of the previous page). */
  after?: string | undefined;
  /** At most this many, from 1 to `MAX_PAGE_SIZE` (1000). */
  limit: number;
}

/**
 * The set {@link SecondFactorStore.replaceBackupCodes} writes.
 *
 * @example
 * ```ts
 * import { MemoryStore, type NewBackupCodeSet } from '@secondfactor/store';
 *
 * const set: NewBackupCodeSet = { digests: codeDigests, now: Date.now(), onlyIfNone: true };
 * const written = await new MemoryStore().replaceBackupCodes('user-1', set); // false: the user has a set
 * ```
 */
export interface NewBackupCodeSet {
  /** Keyed digests of the codes: 1 to `MAX_BACKUP_CODES` (100), no digest twice. */
  digests: readonly string[];
  /** Salt of the slow-hash mode (1 to 256 characters); absent in keyed-digest mode. */
  salt?: string | undefined;
  /** The set's creation time. */
  now: number;
  /**
   * Write only if the user has no set (see {@link SecondFactorStore.replaceBackupCodes}).
   * @default false (replace unconditionally)
   */
  onlyIfNone?: boolean | undefined;
}

/**
 * Options of {@link SecondFactorStore.rotateChallenge}: the resent code.
 *
 * @example
 * ```ts
 * import { MemoryStore, type RotateChallengeOptions } from '@secondfactor/store';
 *
 * const now = Date.now();
 * const resend: RotateChallengeOptions = { digest: newCodeDigest, expiresAt: now + 10 * 60_000, now };
 * const rotated = await new MemoryStore().rotateChallenge('user-1', 'chal-1', resend); // null: consumed, expired or unknown
 * ```
 */
export interface RotateChallengeOptions {
  /** Keyed digest of the new code. */
  digest: string;
  /** When the new code expires. */
  expiresAt: number;
  /** The time of the resend: a challenge consumed or expired at `now` is not resent. */
  now: number;
}

/**
 * Filter of {@link SecondFactorStore.listAudit}; every field narrows the list.
 *
 * @example
 * ```ts
 * import { type AuditFilter, MemoryStore } from '@secondfactor/store';
 *
 * const filter: AuditFilter = { tenantId: 'acme', since: Date.now() - 86_400_000, limit: 50 };
 * const events = await new MemoryStore().listAudit(filter);
 * ```
 */
export interface AuditFilter {
  userId?: string | undefined;
  tenantId?: string | undefined;
  /** Only events at or after this time. */
  since?: number | undefined;
  /**
   * At most this many, from 1 to `MAX_PAGE_SIZE` (1000).
   * @default DEFAULT_PAGE_SIZE (100)
   */
  limit?: number | undefined;
}

/**
 * Options of {@link SecondFactorStore.confirmEnrollment}.
 *
 * @example
 * ```ts
 * import { type ConfirmEnrollmentOptions, MemoryStore } from '@secondfactor/store';
 *
 * const options: ConfirmEnrollmentOptions = { now: Date.now(), lastUsedStep: 57_000_001, replaces: ['cred-old'] };
 * const result = await new MemoryStore().confirmEnrollment('user-1', 'cred-new', options);
 * ```
 */
export interface ConfirmEnrollmentOptions {
  now: number;
  /** The step (or HOTP counter) of the code that confirmed it, recorded so it cannot be used again. */
  lastUsedStep?: number | undefined;
  /** Credentials of the same user removed in the same step (switching devices or methods). */
  replaces?: readonly string[] | undefined;
}

/**
 * Outcome of {@link SecondFactorStore.confirmEnrollment}.
 *
 * @example
 * ```ts
 * import { type ConfirmEnrollmentResult, MemoryStore } from '@secondfactor/store';
 *
 * const result: ConfirmEnrollmentResult = await new MemoryStore().confirmEnrollment('user-1', 'cred-new', { now: Date.now() });
 * if (result.status === 'ok') console.info(result.credential.id);
 * ```
 */
export type ConfirmEnrollmentResult =
  | { status: 'ok'; credential: CredentialRecord }
  | { status: 'not_found' | 'expired' };

/**
 * Options of {@link SecondFactorStore.recordOtpUse}.
 *
 * @example
 * ```ts
 * import { MemoryStore, type RecordOtpUseOptions } from '@secondfactor/store';
 *
 * const keys = ['user:user-1', 'totp:cred-1'];
 * const options: RecordOtpUseOptions = {
 *   step: 57_000_001,
 *   now: Date.now(),
 *   driftSteps: 0,
 *   unlessLocked: keys,
 *   clearFailures: keys,
 * };
 * const recorded = await new MemoryStore().recordOtpUse('user-1', 'cred-1', options);
 * ```
 */
export interface RecordOtpUseOptions {
  /**
   * The TOTP time step or HOTP counter the code matched (`lastUsedStep` in the vocabulary): recorded only
   * if it is greater than the credential's last used step. A whole number, at least 0.
   */
  step: number;
  /** Time of the verification (Unix ms), stored as the credential's `lastUsedAt`. */
  now: number;
  /** Clock drift in steps measured by this verification (RFC 6238 §6), stored with the step. */
  driftSteps?: number | undefined;
  /**
   * Attempt-counter keys to clear in the same atomic step when, and only when, the step is recorded
   * (checklist E6: a success resets the counters of the factors used, e.g. `['user:42', 'totp:cred-1']`).
   * At most `MAX_FAILURE_KEYS` (8) keys, each a valid id; repeats are allowed.
   * @default [] (no counter is cleared)
   */
  clearFailures?: readonly string[] | undefined;
  /**
   * Records only while the credential's sealed secret (`otp.secretCiphertext`) still equals this
   * ciphertext. A service that checked the code against a copy of the credential from its own cache
   * learns in the same atomic step that the copy is current: not rotated (`replaceCredentialSecret`),
   * not deleted and created again under the same id with another secret. A credential without a sealed
   * secret never matches. Must have the `SecretBox.seal` format (a plaintext secret is refused, B6).
   * @default undefined (the secret is not compared)
   */
  ifSecret?: string | undefined;
  /**
   * Records only if none of these attempt counters is locked at `now`, exactly as
   * `getFailures(key, { now }).lockedUntil !== null` reads a lock (checklist E1: a locked account is refused
   * even with the right code). A counter that only counts failures below its limit, a lapsed lock and a
   * key never seen do not refuse. At most `MAX_FAILURE_KEYS` (8) keys, each a valid id; repeats are
   * allowed. Usually the same keys as `clearFailures`.
   * @default [] (no counter is checked)
   */
  unlessLocked?: readonly string[] | undefined;
}

/**
 * Options of {@link SecondFactorStore.replaceCredentialSecret}: both are `SecretBox` ciphertexts.
 *
 * @example
 * ```ts
 * import { MemoryStore, type ReplaceCredentialSecretOptions } from '@secondfactor/store';
 *
 * declare const sealed: string; // the credential's current otp.secretCiphertext
 * declare const resealed: string; // the same secret sealed under the new key
 * const options: ReplaceCredentialSecretOptions = { expected: sealed, next: resealed };
 * const replaced = await new MemoryStore().replaceCredentialSecret('user-1', 'cred-1', options);
 * ```
 */
export interface ReplaceCredentialSecretOptions {
  /** The sealed secret the caller read: the replacement happens only while it is still the stored one. */
  expected: string;
  /** The new sealed secret. */
  next: string;
}

/**
 * Options of {@link SecondFactorStore.getCredentialForVerification}.
 *
 * @example
 * ```ts
 * import { type CredentialForVerificationOptions, MemoryStore } from '@secondfactor/store';
 *
 * const options: CredentialForVerificationOptions = { now: Date.now(), failureKeys: ['user:user-1', 'totp:cred-1'] };
 * const read = await new MemoryStore().getCredentialForVerification('user-1', 'cred-1', options);
 * ```
 */
export interface CredentialForVerificationOptions {
  /** The time at which the failure states are read (a lapsed lock or window reads as no failures). */
  now: number;
  /** Attempt-counter keys whose state to read with the credential: at most `MAX_FAILURE_KEYS` (8), may be empty. */
  failureKeys: readonly string[];
}

/**
 * What {@link SecondFactorStore.getCredentialForVerification} read, in one consistent step.
 *
 * @example
 * ```ts
 * import { type CredentialForVerification, MemoryStore } from '@secondfactor/store';
 *
 * const { credential, failures }: CredentialForVerification = await new MemoryStore().getCredentialForVerification(
 *   'user-1',
 *   'cred-1',
 *   { now: Date.now(), failureKeys: ['user:user-1'] },
 * );
 * const locked = failures.some((state) => state.lockedUntil !== null);
 * ```
 */
export interface CredentialForVerification {
  /** The credential, or `null` when there is none with this id for this user (H3: another user's reads as none). */
  credential: CredentialRecord | null;
  /** The state of each requested key at `now`, in the order of `failureKeys` (a repeated key is answered again). */
  failures: FailureState[];
}

/**
 * Outcome of {@link SecondFactorStore.consumeBackupCode}.
 *
 * @example
 * ```ts
 * import { type ConsumeBackupCodeResult, MemoryStore } from '@secondfactor/store';
 *
 * const { consumed, remaining }: ConsumeBackupCodeResult = await new MemoryStore().consumeBackupCode('user-1', codeDigest);
 * ```
 */
export interface ConsumeBackupCodeResult {
  /** Whether this call used the code (see {@link SecondFactorStore.consumeBackupCode} for who gets `true`). */
  consumed: boolean;
  /** Codes left after this call. */
  remaining: number;
}

/**
 * What {@link SecondFactorStore.resetUser} removed.
 *
 * @example
 * ```ts
 * import { MemoryStore, type ResetUserResult } from '@secondfactor/store';
 *
 * const removed: ResetUserResult = await new MemoryStore().resetUser('user-1'); // { credentials: 2, backupCodes: 8, … }
 * ```
 */
export interface ResetUserResult {
  credentials: number;
  backupCodes: number;
  pendingEnrollments: number;
  trustedDevices: number;
  challenges: number;
}

/**
 * The time of a call, for the methods that need nothing else: {@link SecondFactorStore.getFailures},
 * {@link SecondFactorStore.getPendingEnrollment} and {@link SecondFactorStore.findTrustedDevice}.
 *
 * @example
 * ```ts
 * import { MemoryStore, type NowOptions } from '@secondfactor/store';
 *
 * const at: NowOptions = { now: Date.now() };
 * const state = await new MemoryStore().getFailures('user:user-1', at); // { count: 0, lockedUntil: null }
 * ```
 */
export interface NowOptions {
  /** The time of the call (Unix milliseconds, 0 to `MAX_TIME`), from the caller's clock. */
  now: number;
}

/**
 * The attempt {@link SecondFactorStore.consumeChallenge} checks.
 *
 * @example
 * ```ts
 * import { MemoryStore, type ConsumeChallengeOptions } from '@secondfactor/store';
 *
 * const attempt: ConsumeChallengeOptions = { digest: codeDigest, now: Date.now() };
 * const result = await new MemoryStore().consumeChallenge('user-1', 'chal-1', attempt); // { status: 'not_found' }
 * ```
 */
export interface ConsumeChallengeOptions {
  /** Keyed digest of the code the user typed. */
  digest: string;
  /** The time of the attempt: at or after `expiresAt` the challenge answers `expired`. */
  now: number;
}

/**
 * Options of {@link SecondFactorStore.registerFailure}.
 *
 * @example
 * ```ts
 * import { MemoryStore, type RegisterFailureOptions } from '@secondfactor/store';
 *
 * const options: RegisterFailureOptions = {
 *   now: Date.now(),
 *   limits: { maxFailures: 5, windowMs: 15 * 60_000, lockoutMs: 15 * 60_000 },
 * };
 * const state = await new MemoryStore().registerFailure('user:user-1', options); // { count: 1, lockedUntil: null }
 * ```
 */
export interface RegisterFailureOptions {
  /** The time of the failure. */
  now: number;
  /** Window, threshold and lockout of the counter. */
  limits: FailureLimits;
}

/**
 * Options of {@link SecondFactorStore.sweepExpired}.
 *
 * @example
 * ```ts
 * import { MemoryStore, type SweepExpiredOptions } from '@secondfactor/store';
 *
 * const options: SweepExpiredOptions = { now: Date.now() - 86_400_000, limit: 500 };
 * const swept = await new MemoryStore().sweepExpired(options);
 * ```
 */
export interface SweepExpiredOptions {
  /** Records that lapsed at this time are removed (pass a time in the past to keep a margin). */
  now: number;
  /**
   * The most records of each kind one call removes, from 1 to `MAX_PAGE_SIZE` (1000): the bound on the
   * work (and the rows locked) of one call.
   * @default DEFAULT_PAGE_SIZE (100)
   */
  limit?: number | undefined;
}

/**
 * What {@link SecondFactorStore.sweepExpired} removed, per record kind, and whether to call again.
 *
 * @example
 * ```ts
 * import { MemoryStore, type SweepExpiredResult } from '@secondfactor/store';
 *
 * const store = new MemoryStore();
 * let swept: SweepExpiredResult;
 * do swept = await store.sweepExpired({ now: Date.now(), limit: 1000 });
 * while (swept.more);
 * ```
 */
export interface SweepExpiredResult {
  challenges: number;
  pendingEnrollments: number;
  trustedDevices: number;
  /** Attempt counters. */
  failures: number;
  /**
   * `true` when some kind reached `limit`: lapsed records may remain, call again. `false` when every
   * kind had fewer: nothing lapsed at `now` was left, except records a concurrent call held at that moment.
   */
  more: boolean;
}

/**
 * The fields {@link SecondFactorStore.updateUserSettings} changes: `undefined` (or absent) keeps a field,
 * `null` clears it.
 *
 * @example
 * ```ts
 * import { MemoryStore, type UserSettingsPatch } from '@secondfactor/store';
 *
 * // Admin reset: the user sets up again at the next login, and a new grace period starts then.
 * const patch: UserSettingsPatch = { enrollmentResetAt: Date.now(), graceStartedAt: null };
 * await new MemoryStore().updateUserSettings('user-1', patch, { now: Date.now() });
 * ```
 */
export interface UserSettingsPatch {
  useTwoFactor?: TwoFactorSwitch | undefined;
  mayToggle?: boolean | null | undefined;
  graceStartedAt?: number | null | undefined;
  backupCodesAcknowledgedAt?: number | null | undefined;
  enrollmentResetAt?: number | null | undefined;
}

/**
 * Options of {@link SecondFactorStore.updateUserSettings}.
 *
 * @example
 * ```ts
 * import { MemoryStore, type UpdateUserSettingsOptions } from '@secondfactor/store';
 *
 * const options: UpdateUserSettingsOptions = { now: Date.now(), tenantId: 'acme' };
 * const settings = await new MemoryStore().updateUserSettings('user-1', { mayToggle: false }, options);
 * ```
 */
export interface UpdateUserSettingsOptions {
  /** The time of the change, stored as `updatedAt`. */
  now: number;
  /** The user's tenant, written when given (kept when omitted). */
  tenantId?: string | undefined;
}

/**
 * The authenticator-app code a {@link SecondFactorStore.completeLogin} records: the same decision as
 * {@link SecondFactorStore.recordOtpUse} with these options.
 *
 * @example
 * ```ts
 * import type { CompleteLoginOtp } from '@secondfactor/store';
 *
 * declare const sealed: string; // the credential's otp.secretCiphertext the code was checked against
 * const otp: CompleteLoginOtp = { credentialId: 'cred-1', step: 57_000_001, driftSteps: 0, ifSecret: sealed };
 * ```
 */
export interface CompleteLoginOtp {
  credentialId: string;
  /** The TOTP time step or HOTP counter the code matched: recorded only beyond the last used one. */
  step: number;
  /** Clock drift in steps measured by this verification, stored with the step (kept when omitted). */
  driftSteps?: number | undefined;
  /** Records only while the credential's sealed secret still equals this ciphertext. */
  ifSecret?: string | undefined;
}

/**
 * Options of {@link SecondFactorStore.completeLogin}. At most one of `otp` and `backupCode`.
 *
 * @example
 * ```ts
 * import { type CompleteLoginOptions, MemoryStore } from '@secondfactor/store';
 *
 * declare const codeDigest: string; // keyed digest of the backup code the user typed
 * const options: CompleteLoginOptions = {
 *   now: Date.now(),
 *   backupCode: { digest: codeDigest },
 *   unlessLocked: ['user:user-1'],
 *   clearFailures: ['user:user-1'],
 * };
 * const done = await new MemoryStore().completeLogin('user-1', 'login-1', options); // { status: 'refused' }
 * ```
 */
export interface CompleteLoginOptions {
  /** The time of the login: the challenge must not have expired, locks are read at this time. */
  now: number;
  /** An authenticator-app code to record in the same step. */
  otp?: CompleteLoginOtp | undefined;
  /** A backup code to use in the same step, by its keyed digest. */
  backupCode?: { digest: string } | undefined;
  /**
   * Completes only if none of these attempt counters is locked at `now`. At most `MAX_FAILURE_KEYS` (8).
   * @default []
   */
  unlessLocked?: readonly string[] | undefined;
  /**
   * Attempt counters cleared in the same step when, and only when, the login completes (E6). At most
   * `MAX_FAILURE_KEYS` (8).
   * @default []
   */
  clearFailures?: readonly string[] | undefined;
  /** An audit record appended with the step (checked like `appendAudit`'s). */
  audit?: AuditEvent | undefined;
}

/**
 * Outcome of {@link SecondFactorStore.completeLogin}.
 *
 * @example
 * ```ts
 * import { type CompleteLoginResult, MemoryStore } from '@secondfactor/store';
 *
 * const done: CompleteLoginResult = await new MemoryStore().completeLogin('user-1', 'login-1', { now: Date.now() });
 * const epoch = done.status === 'ok' ? done.sessionEpoch : null;
 * ```
 */
export type CompleteLoginResult =
  | {
      status: 'ok';
      /** The user's session epoch after the step, for the session to keep. */
      sessionEpoch: number;
      /** Backup codes left after this step (only when a backup code was used). */
      backupCodesRemaining?: number | undefined;
    }
  | { status: 'refused' };

/**
 * Options of {@link SecondFactorStore.failLogin}.
 *
 * @example
 * ```ts
 * import { type FailLoginOptions, MemoryStore } from '@secondfactor/store';
 *
 * const now = Date.now();
 * const options: FailLoginOptions = {
 *   now,
 *   keys: ['user:user-1', 'cred:cred-1'],
 *   limits: { maxFailures: 5, windowMs: 15 * 60_000, lockoutMs: 15 * 60_000 },
 *   audit: { id: crypto.randomUUID(), at: now, type: 'login.failed', userId: 'user-1', data: { method: 'totp' } },
 * };
 * const failed = await new MemoryStore().failLogin('user-1', 'login-1', options);
 * ```
 */
export interface FailLoginOptions {
  /** The time of the wrong answer: counters and the challenge's expiry are read at this time. */
  now: number;
  /** The attempt counters the wrong answer counts on: 1 to `MAX_FAILURE_KEYS` (8) distinct keys. */
  keys: readonly string[];
  /** Window, threshold and lockout of every counter in `keys`, as `registerFailure` takes them. */
  limits: FailureLimits;
  /**
   * The audit record appended with the counts (checked like `appendAudit`'s). Its `data`, a JSON object
   * or absent, is stored with `failures` and `locked` set by the store (see `failLogin`).
   */
  audit: AuditEvent;
}

/**
 * Outcome of {@link SecondFactorStore.failLogin}.
 *
 * @example
 * ```ts
 * import { type FailLoginResult, MemoryStore } from '@secondfactor/store';
 *
 * const now = Date.now();
 * const failed: FailLoginResult = await new MemoryStore().failLogin('user-1', null, {
 *   now,
 *   keys: ['user:user-1'],
 *   limits: { maxFailures: 5, windowMs: 900_000, lockoutMs: 900_000 },
 *   audit: { id: crypto.randomUUID(), at: now, type: 'enrollment.failed', userId: 'user-1' },
 * });
 * const locked = failed.states.some((state) => state.lockedUntil !== null);
 * ```
 */
export interface FailLoginResult {
  /** The state after the step of each key of `options.keys`, in the order given. */
  states: FailureState[];
  /** The attempts of the user's challenge `challengeId` after the step; `null` without one. */
  attempts: number | null;
}

/**
 * The question {@link SecondFactorStore.listAddressHolders} answers: which credentials of one tenant hold
 * this address.
 *
 * @example
 * ```ts
 * import { type AddressHolderQuery, MemoryStore } from '@secondfactor/store';
 *
 * const query: AddressHolderQuery = { tenantId: 'acme', address: '+15555550100', limit: 5 };
 * const holders = await new MemoryStore().listAddressHolders(query);
 * ```
 */
export interface AddressHolderQuery {
  /** The tenant whose users' credentials are searched; absent: the credentials without a tenant. */
  tenantId?: string | undefined;
  /** The address exactly as stored (`CredentialRecord.address`): 1 to 320 characters, no control characters. */
  address: string;
  /**
   * At most this many, from 1 to 100.
   * @default 10
   */
  limit?: number | undefined;
}

/**
 * One credential holding an address, as `listAddressHolders` answers it.
 *
 * @example
 * ```ts
 * import { type AddressHolder, MemoryStore } from '@secondfactor/store';
 *
 * const holders: AddressHolder[] = await new MemoryStore().listAddressHolders({ tenantId: 'acme', address: '+15555550100' });
 * const verifiedBy = holders.find((holder) => holder.userId !== 'user-1');
 * ```
 */
export interface AddressHolder {
  userId: string;
  tenantId?: string | undefined;
  credentialId: string;
  kind: Method;
  /** When the holder switched the credential off; absent while it is switched on. */
  switchedOffAt?: number | undefined;
}
