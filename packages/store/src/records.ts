/**
 * @module
 * The records secondfactor persists. Times are Unix milliseconds. Secret material appears only as
 * ciphertext produced by {@link SecretBox} or as keyed digests (lowercase hex); an adapter never sees plaintext.
 */

/** The kinds of second factor a credential or challenge can be. */
export type MethodKind = 'totp' | 'hotp' | 'email' | 'sms' | 'voice' | 'push';

/** Hash algorithms of an authenticator-app credential. */
export type OtpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

/** Per-user 2FA settings that admins and users change. */
export interface UserSettings {
  userId: string;
  /** Tenant (account, organisation, partner) the user belongs to. */
  tenantId?: string | undefined;
  /** Admin override: `true` requires 2FA ("Use 2FA: yes"), `false` exempts, `null` follows the policy. */
  requiredByAdmin: boolean | null;
  /** Whether the user may turn 2FA on and off himself ("Can toggle 2FA"). */
  mayToggle: boolean;
  /** When the grace period for a required enrollment began. */
  graceStartedAt?: number | undefined;
  /** When the user acknowledged having saved the current backup codes. */
  backupCodesAcknowledgedAt?: number | undefined;
  updatedAt: number;
}

/** Fields of an authenticator-app (TOTP/HOTP) credential. */
export interface OtpFields {
  /** The shared secret sealed by {@link SecretBox} (associated data: user id and credential id). */
  secretCiphertext: string;
  algorithm: OtpAlgorithm;
  digits: number;
  /** TOTP step length in seconds; absent for HOTP. */
  period?: number | undefined;
}

/** A second factor bound to a user. */
export interface CredentialRecord {
  id: string;
  userId: string;
  tenantId?: string | undefined;
  kind: MethodKind;
  /** User-given name ("Work phone"). */
  label: string;
  /** Present for `totp` and `hotp`. */
  otp?: OtpFields | undefined;
  /** E-mail address, phone number or push target (e.g. a linked messenger account) for out-of-band kinds. */
  address?: string | undefined;
  /**
   * Replay guard: the last TOTP time step (or HOTP counter) accepted. RFC 6238 §5.2: a step is accepted
   * at most once, so only a larger value can be recorded. For HOTP the next expected counter is this + 1.
   */
  lastUsedStep?: number | undefined;
  /** Clock drift in steps measured at the last successful verification (RFC 6238 §6). */
  driftSteps?: number | undefined;
  createdAt: number;
  lastUsedAt?: number | undefined;
}

/** A credential being set up: server-side, bound to its user, and expiring (checklist H2). */
export interface PendingEnrollmentRecord {
  /** Becomes the credential's id on confirmation, so a sealed secret's associated data stays valid. */
  id: string;
  userId: string;
  tenantId?: string | undefined;
  kind: MethodKind;
  label: string;
  otp?: OtpFields | undefined;
  address?: string | undefined;
  createdAt: number;
  expiresAt: number;
}

/** The backup-code set of a user: digests only. */
export interface BackupCodeSet {
  /** Salt of the slow-hash mode, shared by the set and unique per set; absent in keyed-digest mode. */
  salt?: string | undefined;
  /** Codes not yet used. */
  remaining: number;
  createdAt: number;
}

/** What a challenge proves. A code issued for one purpose is rejected for another (checklist G4). */
export type ChallengePurpose =
  | 'login'
  | 'enroll'
  | 'disable'
  | 'change_address'
  | 'regenerate_backup_codes'
  | 'step_up';

/** A one-time code or approval sent out of band, or a pending login. */
export interface ChallengeRecord {
  id: string;
  userId: string;
  tenantId?: string | undefined;
  kind: MethodKind | 'login';
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

/** Outcome of {@link SecondFactorStore.consumeChallenge}. */
export type ConsumeChallengeResult = 'ok' | 'mismatch' | 'expired' | 'consumed' | 'locked' | 'not_found';

/** Lockout rule applied by {@link SecondFactorStore.registerFailure}. */
export interface FailureLimits {
  /** Failures within `windowMs` that lock the key. */
  maxFailures: number;
  /** Failures older than this no longer count (a fixed window from the first counted failure). */
  windowMs: number;
  /** Length of the first lockout. */
  lockoutMs: number;
  /** Each further lockout of the same key lasts this many times longer (a whole number 1–10), up to `maxLockoutMs`. @default 1 */
  backoffFactor?: number | undefined;
  /** Upper bound of a lockout. @default lockoutMs */
  maxLockoutMs?: number | undefined;
}

/** State of an attempt counter. */
export interface FailureState {
  /** Failures counted in the current window. */
  count: number;
  /** The key is locked until this time; `null` when it is not locked. */
  lockedUntil: number | null;
}

/** A device the user chose to trust ("remember this browser"). */
export interface TrustedDeviceRecord {
  id: string;
  userId: string;
  /** Keyed digest of the device token. */
  digest: string;
  label?: string | undefined;
  createdAt: number;
  expiresAt: number;
}

/** One line of the append-only audit log (checklist H8, K6). */
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

/** Which 2FA a user has, for user lists ("who has 2FA"). */
export interface TwoFactorSummary {
  userId: string;
  methods: MethodKind[];
  credentials: number;
  backupCodesRemaining: number;
}
