/**
 * @module
 * The records secondfactor persists. Times are Unix milliseconds. Secret material appears only as
 * ciphertext produced by {@link SecretBox} or as keyed digests (lowercase hex); an adapter never sees plaintext.
 * The words shared with other packages (`Method`, `Algorithm`, `TwoFactorSwitch`, `FailureLimits`) come from
 * `@secondfactor/core`.
 */

import type { Algorithm, Method, TwoFactorSwitch } from '@secondfactor/core';

/**
 * Per-user 2FA settings that admins and users change.
 *
 * @example
 * ```ts
 * import { MemoryStore, type UserSettings } from '@secondfactor/store';
 *
 * const settings: UserSettings = { userId: 'user-1', tenantId: 'acme', useTwoFactor: true, mayToggle: false, updatedAt: Date.now() };
 * await new MemoryStore().putUserSettings(settings);
 * ```
 */
export interface UserSettings {
  userId: string;
  /** Tenant (account, organisation, partner) the user belongs to. */
  tenantId?: string | undefined;
  /**
   * The user's "Use 2FA" switch, whoever set it (an admin, or the user where he may toggle): `true`
   * requires 2FA, `false` exempts, `null` follows the policy (`TwoFactorSwitch` of `@secondfactor/core`).
   */
  useTwoFactor: TwoFactorSwitch;
  /**
   * Whether the user may turn 2FA on and off himself ("Can toggle 2FA"): `true` or `false` as an admin
   * set it, `null` while nobody did (the policy's default applies, and follows it when it changes).
   */
  mayToggle: boolean | null;
  /** When the grace period for a required enrollment began. */
  graceStartedAt?: number | undefined;
  /** When the user acknowledged having saved the current backup codes. */
  backupCodesAcknowledgedAt?: number | undefined;
  /**
   * When an admin (or the user) last reset the user's 2FA: a credential created before this time
   * belongs to before the reset, and the user is asked to set up again at the next login.
   */
  enrollmentResetAt?: number | undefined;
  updatedAt: number;
}

/**
 * Fields of an authenticator-app (TOTP/HOTP) credential.
 *
 * @example
 * ```ts
 * import { type OtpFields, SecretBox } from '@secondfactor/store';
 *
 * const box = new SecretBox({ keys: { k1: key }, currentKeyId: 'k1' });
 * const otp: OtpFields = {
 *   secretCiphertext: box.seal(secret, { userId: 'user-1', credentialId: 'cred-1' }),
 *   algorithm: 'SHA1',
 *   digits: 6,
 *   period: 30,
 * };
 * ```
 */
export interface OtpFields {
  /** The shared secret sealed by {@link SecretBox} (associated data: user id and credential id). */
  secretCiphertext: string;
  algorithm: Algorithm;
  digits: number;
  /** TOTP step length in seconds; absent for HOTP. */
  period?: number | undefined;
}

/**
 * A second factor bound to a user.
 *
 * @example
 * ```ts
 * import { type CredentialRecord, MemoryStore } from '@secondfactor/store';
 *
 * const credential: CredentialRecord = {
 *   id: 'cred-2',
 *   userId: 'user-1',
 *   kind: 'email',
 *   label: 'Work mail',
 *   address: 'someone@example.org',
 *   createdAt: Date.now(),
 * };
 * await new MemoryStore().addCredential(credential);
 * ```
 */
export interface CredentialRecord {
  id: string;
  userId: string;
  tenantId?: string | undefined;
  /** Any method but `backup_code`: backup codes are kept as a {@link BackupCodeSet}, never as a credential. */
  kind: Method;
  /** User-given name ("Work phone"). */
  label: string;
  /** Present for `totp` and `hotp`. */
  otp?: OtpFields | undefined;
  /** E-mail address, phone number or push target (e.g. a linked messenger account) for out-of-band kinds. */
  address?: string | undefined;
  /**
   * Replay guard: the last TOTP time step (or HOTP counter) accepted; pass it as `lastUsedStep` to
   * `verifyTotp` / `verifyHotp` of `@secondfactor/core` and record the matched step or counter they return.
   * RFC 6238 §5.2: a step is accepted at most once, so only a larger value can be recorded.
   */
  lastUsedStep?: number | undefined;
  /** Clock drift in steps measured at the last successful verification (RFC 6238 §6). */
  driftSteps?: number | undefined;
  createdAt: number;
  lastUsedAt?: number | undefined;
  /**
   * When the owner switched this device off (Unix ms): it stays verified and listed, but no login uses it and
   * it does not count as an active second factor. Absent while switched on.
   */
  switchedOffAt?: number | undefined;
}

/**
 * A credential being set up: server-side, bound to its user, and expiring (checklist H2).
 *
 * @example
 * ```ts
 * import { MemoryStore, type PendingEnrollmentRecord } from '@secondfactor/store';
 *
 * const now = Date.now();
 * const pending: PendingEnrollmentRecord = {
 *   id: 'cred-3', // the credential's id once confirmed
 *   userId: 'user-1',
 *   kind: 'sms',
 *   label: 'Phone',
 *   address: '+15555550100',
 *   createdAt: now,
 *   expiresAt: now + 10 * 60_000,
 * };
 * await new MemoryStore().createPendingEnrollment(pending);
 * ```
 */
export interface PendingEnrollmentRecord {
  /** Becomes the credential's id on confirmation, so a sealed secret's associated data stays valid. */
  id: string;
  userId: string;
  tenantId?: string | undefined;
  /** Any method but `backup_code`. */
  kind: Method;
  label: string;
  otp?: OtpFields | undefined;
  address?: string | undefined;
  createdAt: number;
  expiresAt: number;
}

/**
 * The backup-code set of a user: digests only.
 *
 * @example
 * ```ts
 * import { type BackupCodeSet, MemoryStore } from '@secondfactor/store';
 *
 * const set: BackupCodeSet | null = await new MemoryStore().getBackupCodeSet('user-1');
 * const runningLow = set !== null && set.remaining <= 3;
 * ```
 */
export interface BackupCodeSet {
  /** Salt of the slow-hash mode, shared by the set and unique per set; absent in keyed-digest mode. */
  salt?: string | undefined;
  /** Codes not yet used. */
  remaining: number;
  createdAt: number;
}

/**
 * What a challenge proves. A code issued for one purpose is rejected for another (checklist G4).
 *
 * @example
 * ```ts
 * import type { ChallengePurpose } from '@secondfactor/store';
 *
 * const purpose: ChallengePurpose = 'disable'; // a code sent to turn 2FA off works for nothing else (G4)
 * ```
 */
export type ChallengePurpose =
  | 'login'
  | 'enroll'
  | 'disable'
  | 'change_address'
  | 'regenerate_backup_codes'
  | 'step_up';

/**
 * A one-time code or approval sent out of band, or a pending login.
 *
 * @example
 * ```ts
 * import { type ChallengeRecord, MemoryStore } from '@secondfactor/store';
 *
 * const challenge: ChallengeRecord | null = await new MemoryStore().getChallenge('user-1', 'chal-1');
 * const attemptsLeft = challenge === null ? 0 : challenge.maxAttempts - challenge.attempts;
 * ```
 */
export interface ChallengeRecord {
  id: string;
  userId: string;
  tenantId?: string | undefined;
  /** Any method but `backup_code`, or `login` for a pending login. */
  kind: Method | 'login';
  purpose: ChallengePurpose;
  credentialId?: string | undefined;
  /** Keyed digest of the code or approval token; `null` while nothing was sent yet. */
  digest: string | null;
  createdAt: number;
  expiresAt: number;
  /** Wrong codes submitted so far; never reset by a resend (checklist E4). */
  attempts: number;
  maxAttempts: number;
  /** How many times a code was delivered (first send plus resends). */
  deliveries: number;
  consumedAt?: number | undefined;
  /** Small non-secret state for the caller (e.g. the methods offered at login). */
  data?: Readonly<Record<string, string | number | boolean>> | undefined;
}

/**
 * Outcome of {@link SecondFactorStore.consumeChallenge}.
 *
 * @example
 * ```ts
 * import { type ConsumeChallengeResult, MemoryStore } from '@secondfactor/store';
 *
 * const outcome: ConsumeChallengeResult = await new MemoryStore().consumeChallenge('user-1', 'chal-1', digest, Date.now());
 * const countsAsFailure = outcome === 'mismatch';
 * ```
 */
export type ConsumeChallengeResult = 'ok' | 'mismatch' | 'expired' | 'consumed' | 'locked' | 'not_found';

/**
 * State of an attempt counter.
 *
 * @example
 * ```ts
 * import { type FailureState, MemoryStore } from '@secondfactor/store';
 *
 * const { count, lockedUntil }: FailureState = await new MemoryStore().getFailures('user:user-1', { now: Date.now() });
 * const locked = lockedUntil !== null;
 * ```
 */
export interface FailureState {
  /** Failures counted in the current window. */
  count: number;
  /** The key is locked until this time; `null` when it is not locked. */
  lockedUntil: number | null;
}

/**
 * A device the user chose to trust ("remember this browser").
 *
 * @example
 * ```ts
 * import { MemoryStore, type TrustedDeviceRecord } from '@secondfactor/store';
 *
 * const now = Date.now();
 * const device: TrustedDeviceRecord = { id: 'dev-1', userId: 'user-1', digest: tokenDigest, label: 'Firefox', createdAt: now, expiresAt: now + 30 * 86_400_000 };
 * await new MemoryStore().addTrustedDevice(device);
 * ```
 */
export interface TrustedDeviceRecord {
  id: string;
  userId: string;
  /** Keyed digest of the device token. */
  digest: string;
  label?: string | undefined;
  createdAt: number;
  expiresAt: number;
}

/**
 * One line of the append-only audit log (checklist H8, K6).
 *
 * @example
 * ```ts
 * import { type AuditEvent, MemoryStore } from '@secondfactor/store';
 *
 * const event: AuditEvent = { id: crypto.randomUUID(), at: Date.now(), type: 'enrollment.confirmed', userId: 'user-1', data: { method: 'totp' } };
 * await new MemoryStore().appendAudit(event);
 * ```
 */
export interface AuditEvent {
  id: string;
  at: number;
  /** The event type, e.g. `enrollment.confirmed`, `backup_codes.regenerated`, `policy.changed`. */
  type: string;
  userId?: string | undefined;
  actorId?: string | undefined;
  tenantId?: string | undefined;
  /** Non-secret detail (source IP, method, before/after values). */
  data?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * Which 2FA a user has, for user lists ("who has 2FA").
 *
 * @example
 * ```ts
 * import { MemoryStore, type TwoFactorSummary } from '@secondfactor/store';
 *
 * const summaries: TwoFactorSummary[] = await new MemoryStore().getTwoFactorSummaries(['user-1', 'user-2']);
 * const without2fa = summaries.filter((summary) => summary.methods.length === 0).map((summary) => summary.userId);
 * ```
 */
export interface TwoFactorSummary {
  userId: string;
  /** The kinds of the user's switched-on credentials, each once (a switched-off device is not "2FA on"). */
  methods: Method[];
  /** How many credentials the user has, switched on or off. */
  credentials: number;
  backupCodesRemaining: number;
}

/**
 * A tenant's own 2FA settings, set by the tenant's administrator: the SMTP server its code e-mails go
 * through (a partner configures its own). Credentials appear only sealed by `SecretBox` (B6).
 *
 * @example
 * ```ts
 * import { MemoryStore, SecretBox, type TenantSettings } from '@secondfactor/store';
 *
 * declare const box: SecretBox;
 * const smtp = new TextEncoder().encode(JSON.stringify({ host: 'smtp.acme.example', port: 587, user: 'otp', pass: '…' }));
 * const settings: TenantSettings = {
 *   tenantId: 'acme',
 *   smtpCiphertext: box.seal(smtp, { userId: 'tenant:acme', credentialId: 'smtp' }),
 *   updatedAt: Date.now(),
 * };
 * await new MemoryStore().putTenantSettings(settings);
 * ```
 */
export interface TenantSettings {
  tenantId: string;
  /** The tenant's SMTP settings, sealed (`SecretBox.seal` format); absent: the host's default server. */
  smtpCiphertext?: string | undefined;
  updatedAt: number;
}
