/**
 * @module
 * The storage contract. Every decision that matters under attack is one atomic primitive here, so no
 * caller ever reads, checks and writes in separate steps. Each method states its guarantee; an adapter
 * proves it by passing `runStoreConformance` from `@secondfactor/store/testing`.
 */
import type {
  AuditEvent,
  BackupCodeSet,
  ChallengeRecord,
  ConsumeChallengeResult,
  CredentialRecord,
  FailureLimits,
  FailureState,
  PendingEnrollmentRecord,
  TrustedDeviceRecord,
  TwoFactorSummary,
  UserSettings,
} from './records';

/** What an adapter can promise beyond the contract. */
export interface StoreCapabilities {
  /** Atomic primitives hold across processes sharing the backing server (not true of `MemoryStore`). */
  multiProcess: boolean;
  /** Data survives a restart of the application. */
  durable: boolean;
}

/** Options of {@link SecondFactorStore.confirmEnrollment}. */
export interface ConfirmEnrollmentOptions {
  now: number;
  /** The step (or HOTP counter) of the code that confirmed it, recorded so it cannot be used again. */
  lastUsedStep?: number | undefined;
  /** Credentials of the same user removed in the same step (switching devices or methods). */
  replaces?: readonly string[] | undefined;
}

/** Outcome of {@link SecondFactorStore.confirmEnrollment}. */
export type ConfirmEnrollmentResult =
  | { status: 'ok'; credential: CredentialRecord }
  | { status: 'not_found' | 'expired' };

/** Outcome of {@link SecondFactorStore.consumeBackupCode}. */
export interface ConsumeBackupCodeResult {
  /** True for exactly one caller per code. */
  consumed: boolean;
  /** Codes left after this call. */
  remaining: number;
}

/** What {@link SecondFactorStore.resetUser} removed. */
export interface ResetUserResult {
  credentials: number;
  backupCodes: number;
  pendingEnrollments: number;
  trustedDevices: number;
  challenges: number;
}

/**
 * The storage contract of secondfactor. All methods are async and validate their arguments at the
 * boundary: a bad id, digest or record rejects with `SecondFactorError` (`invalid_argument`) and writes nothing.
 *
 * @example
 * ```ts
 * import { MemoryStore } from '@secondfactor/store';
 *
 * const store = new MemoryStore();
 * const firstUse = await store.recordOtpUse('cred-1', 57_000_001, { now: Date.now() });
 * ```
 */
export interface SecondFactorStore {
  readonly capabilities: StoreCapabilities;

  // --- user settings ---------------------------------------------------------------------------
  getUserSettings(userId: string): Promise<UserSettings | null>;
  /** Creates or replaces the settings of `settings.userId`. */
  putUserSettings(settings: UserSettings): Promise<void>;
  /** Settings of the users of one tenant, ordered by user id, for admin lists. */
  listUserSettings(
    tenantId: string,
    options?: { after?: string | undefined; limit?: number | undefined },
  ): Promise<UserSettings[]>;
  /** Which methods each user has, for "who has 2FA" lists. Users without any appear with no methods. */
  getTwoFactorSummaries(userIds: readonly string[]): Promise<TwoFactorSummary[]>;

  // --- credentials -------------------------------------------------------------------------------
  /** Inserts a credential (imports and out-of-band addresses). Rejects with `conflict` if the id exists. */
  addCredential(credential: CredentialRecord): Promise<void>;
  /** The credential, only if it belongs to `userId` (no cross-user reads, checklist H3). */
  getCredential(userId: string, credentialId: string): Promise<CredentialRecord | null>;
  listCredentials(userId: string): Promise<CredentialRecord[]>;
  /** Removes one credential of the user; false if there was none. Takes effect for every later verification (H9). */
  deleteCredential(userId: string, credentialId: string): Promise<boolean>;
  /**
   * RFC 6238 §5.2 replay guard. Records `step` as the credential's last used step if and only if it is
   * greater than the recorded one (or none is recorded), and stores `driftSteps` with it.
   * Guarantee: of any number of concurrent calls with the same step, exactly one returns true.
   * False also when the credential does not exist.
   */
  recordOtpUse(
    credentialId: string,
    step: number,
    options: { now: number; driftSteps?: number | undefined },
  ): Promise<boolean>;
  /**
   * Compare-and-set of a sealed secret, for key rotation: replaces it only if it still equals `expected`.
   */
  replaceCredentialSecret(credentialId: string, expected: string, next: string): Promise<boolean>;
  /** Credentials with a sealed secret, ordered by id, a page at a time (key rotation). */
  listOtpCredentials(options: { after?: string | undefined; limit: number }): Promise<CredentialRecord[]>;

  // --- enrollment --------------------------------------------------------------------------------
  /** Stores a pending enrollment. Rejects with `conflict` if the id exists. */
  createPendingEnrollment(pending: PendingEnrollmentRecord): Promise<void>;
  /** The pending enrollment, only if it belongs to `userId` and has not expired at `now`. */
  getPendingEnrollment(
    userId: string,
    pendingId: string,
    now: number,
  ): Promise<PendingEnrollmentRecord | null>;
  /**
   * Turns a pending enrollment of `userId` into an active credential with the same id, removing the
   * credentials named in `replaces` in the same step. Guarantee: exactly one of concurrent calls gets `ok`.
   */
  confirmEnrollment(
    userId: string,
    pendingId: string,
    options: ConfirmEnrollmentOptions,
  ): Promise<ConfirmEnrollmentResult>;
  deletePendingEnrollment(userId: string, pendingId: string): Promise<boolean>;

  // --- backup codes ------------------------------------------------------------------------------
  /** Replaces the user's whole set in one step: no code of the old set works after this resolves (F4). */
  replaceBackupCodes(
    userId: string,
    set: { digests: readonly string[]; salt?: string | undefined; now: number },
  ): Promise<void>;
  getBackupCodeSet(userId: string): Promise<BackupCodeSet | null>;
  /** Consumes the code with this digest. Guarantee: `consumed` is true for exactly one caller per code. */
  consumeBackupCode(userId: string, digest: string, now: number): Promise<ConsumeBackupCodeResult>;

  // --- challenges --------------------------------------------------------------------------------
  /** Stores a challenge. Rejects with `conflict` if the id exists. */
  createChallenge(challenge: ChallengeRecord): Promise<void>;
  /** The challenge, only if it belongs to `userId`. */
  getChallenge(userId: string, challengeId: string): Promise<ChallengeRecord | null>;
  /**
   * Checks a code against the challenge and counts the attempt, in one step: `ok` consumes it (exactly
   * one caller ever gets `ok`), `mismatch` counts a failure, `locked` once `maxAttempts` failures were
   * counted, `expired` at or after `expiresAt`, `consumed` after a success. Checked in this order:
   * `not_found` (unknown or another user's), `consumed`, `expired`, `locked`, then the digest; a locked
   * challenge answers `locked` even to the right code, and only `mismatch` counts an attempt.
   */
  consumeChallenge(
    userId: string,
    challengeId: string,
    digest: string,
    now: number,
  ): Promise<ConsumeChallengeResult>;
  /**
   * Resend: stores the digest of a new code (the old one stops working, G6), a new expiry, and counts a
   * delivery. Attempts are kept (E4). Returns the updated challenge, or null if it is consumed, expired or unknown.
   */
  rotateChallenge(
    userId: string,
    challengeId: string,
    next: { digest: string; expiresAt: number; now: number },
  ): Promise<ChallengeRecord | null>;
  deleteChallenge(userId: string, challengeId: string): Promise<boolean>;

  // --- attempt counters --------------------------------------------------------------------------
  /**
   * Counts a failure for `key` under `limits` and returns the state after it, in one step: exactly
   * `{ count, lockedUntil }` of `nextFailureCounter(stored, now, limits)` (failures.ts).
   */
  registerFailure(key: string, now: number, limits: FailureLimits): Promise<FailureState>;
  /** The current state of `key` at `now` (a lapsed window reads as zero failures). */
  getFailures(key: string, now: number): Promise<FailureState>;
  /** Forgets the failures and lockout of `key`. */
  clearFailures(key: string): Promise<void>;

  // --- trusted devices ---------------------------------------------------------------------------
  /** Stores a trusted device. Rejects with `conflict` if the id exists. */
  addTrustedDevice(device: TrustedDeviceRecord): Promise<void>;
  /** The unexpired device of `userId` with this token digest. */
  findTrustedDevice(userId: string, digest: string, now: number): Promise<TrustedDeviceRecord | null>;
  revokeTrustedDevices(userId: string): Promise<number>;

  // --- whole-user operations ---------------------------------------------------------------------
  /**
   * Removes every credential, backup code, pending enrollment, trusted device and challenge of the user
   * in one step (admin "Reset 2FA": the user enrolls again at the next login). Settings are kept.
   */
  resetUser(userId: string): Promise<ResetUserResult>;

  // --- audit log ---------------------------------------------------------------------------------
  /** Appends an event. The log has no update or delete: an id seen before rejects with `conflict`. */
  appendAudit(event: AuditEvent): Promise<void>;
  /** Events newest first (by `at`; events of the same `at` newest-appended first). */
  listAudit(filter: {
    userId?: string | undefined;
    tenantId?: string | undefined;
    since?: number | undefined;
    limit?: number | undefined;
  }): Promise<AuditEvent[]>;

  /** Releases connections the store opened itself. */
  close(): Promise<void>;
}
