/**
 * @module
 * The checks of whole records at the store's boundary. Each reads every field of the caller's object
 * once, checks it and returns a copy that holds only the fields the record type names, so an extra
 * property (a plaintext secret, say) is never stored and no object the caller holds is shared with the
 * backend. The memory store's snapshot loader runs the same checks on what it reads back.
 */
import { ALGORITHMS, MAX_DIGITS, METHODS, type Method, MIN_DIGITS } from '@secondfactor/core';
import type { CheckedFailureLimits } from './adapter/operations';
import type {
  AuditEvent,
  ChallengeRecord,
  CredentialRecord,
  OtpFields,
  PendingEnrollmentRecord,
  TenantSettings,
  TrustedDeviceRecord,
  UserSettings,
} from './records';
import {
  assertCiphertext,
  assertDigest,
  assertDuration,
  assertId,
  assertInteger,
  assertOptionalId,
  assertText,
  assertTime,
  fail,
  isWellFormed,
} from './validate';

type Plain = Record<string, unknown>;

// Every method but `backup_code`: backup codes are a set of digests, never a credential or a challenge.
const METHOD_KINDS: ReadonlySet<string> = new Set<Method>(
  METHODS.filter((method) => method !== 'backup_code'),
);
const PURPOSES: ReadonlySet<string> = new Set([
  'login',
  'enroll',
  'disable',
  'change_address',
  'regenerate_backup_codes',
  'step_up',
]);
const ALGORITHM_NAMES: ReadonlySet<string> = new Set<string>(ALGORITHMS);
/** The fields of a challenge only the store writes (attempts counted, deliveries counted, consumption). */
const STORE_OWNED = ['attempts', 'deliveries', 'consumedAt'] as const;

// Reads the named fields of `value` once each; absent and `undefined` fields are left out.
function pick(name: string, value: unknown, keys: readonly string[]): Plain {
  if (typeof value !== 'object' || value === null) fail(name, 'must be an object');
  const source = value as Plain;
  const out: Plain = {};
  for (const key of keys) {
    const item = source[key];
    if (item !== undefined) out[key] = item;
  }
  return out;
}

function assertKind(name: string, value: unknown): asserts value is Method {
  if (typeof value !== 'string' || !METHOD_KINDS.has(value)) fail(name, 'must be a known method kind');
}

// The OTP fields of a credential or pending enrollment: present exactly for `totp` and `hotp`.
function otpFields(name: string, value: unknown, kind: Method): OtpFields | undefined {
  const isOtp = kind === 'totp' || kind === 'hotp';
  if (!isOtp) {
    if (value !== undefined) fail(name, `must be absent for kind ${kind}`);
    return undefined;
  }
  if (typeof value !== 'object' || value === null) fail(name, `is required for kind ${kind}`);
  const otp = pick(name, value, ['secretCiphertext', 'algorithm', 'digits', 'period']);
  assertCiphertext(`${name}.secretCiphertext`, otp.secretCiphertext);
  if (typeof otp.algorithm !== 'string' || !ALGORITHM_NAMES.has(otp.algorithm)) {
    fail(`${name}.algorithm`, 'must be SHA1, SHA256 or SHA512');
  }
  if (
    !Number.isInteger(otp.digits) ||
    (otp.digits as number) < MIN_DIGITS ||
    (otp.digits as number) > MAX_DIGITS
  ) {
    fail(`${name}.digits`, `must be ${MIN_DIGITS} to ${MAX_DIGITS}`);
  }
  const period = otp.period;
  if (kind === 'totp' && (!Number.isInteger(period) || (period as number) < 1 || (period as number) > 3600)) {
    fail(`${name}.period`, 'must be 1 to 3600 seconds for totp');
  }
  return otp as unknown as OtpFields;
}

/**
 * The optional times of a settings record, which `updateUserSettings` sets and clears one by one.
 *
 * @internal
 */
export const SETTINGS_TIMES = ['graceStartedAt', 'backupCodesAcknowledgedAt', 'enrollmentResetAt'] as const;

/**
 * A whole user-settings record.
 *
 * @internal
 */
export function checkUserSettings(value: unknown): UserSettings {
  const settings = pick('settings', value, [
    'userId',
    'tenantId',
    'useTwoFactor',
    'mayToggle',
    'graceStartedAt',
    'backupCodesAcknowledgedAt',
    'enrollmentResetAt',
    'updatedAt',
  ]);
  assertId('settings.userId', settings.userId);
  assertOptionalId('settings.tenantId', settings.tenantId);
  const use = settings.useTwoFactor;
  // `null` is meaningful (follow the policy); `pick` keeps it, as it drops only `undefined`.
  if (use !== null && typeof use !== 'boolean') {
    fail('settings.useTwoFactor', 'must be true, false or null');
  }
  // `null`: nobody set it, the policy's default applies.
  const may = settings.mayToggle;
  if (may !== null && typeof may !== 'boolean') fail('settings.mayToggle', 'must be true, false or null');
  for (const field of SETTINGS_TIMES) {
    if (settings[field] !== undefined) assertTime(`settings.${field}`, settings[field]);
  }
  assertTime('settings.updatedAt', settings.updatedAt);
  return settings as unknown as UserSettings;
}

/**
 * A whole tenant-settings record: the SMTP settings only sealed (B6).
 *
 * @internal
 */
export function checkTenantSettings(value: unknown): TenantSettings {
  const settings = pick('settings', value, ['tenantId', 'smtpCiphertext', 'updatedAt']);
  assertId('settings.tenantId', settings.tenantId);
  if (settings.smtpCiphertext !== undefined)
    assertCiphertext('settings.smtpCiphertext', settings.smtpCiphertext);
  assertTime('settings.updatedAt', settings.updatedAt);
  return settings as unknown as TenantSettings;
}

/**
 * The user-given name of a credential or pending enrollment: what `addCredential` accepts as `label`
 * is what `renameCredential` accepts.
 *
 * @internal
 */
export function assertLabel(name: string, value: unknown): asserts value is string {
  assertText(name, value, 120);
}

/**
 * The address a `listAddressHolders` query asks for: what `addCredential` accepts as `address`, and not
 * empty (no credential is found by the absence of an address).
 *
 * @internal
 */
export function assertAddressQuery(name: string, value: unknown): asserts value is string {
  assertText(name, value);
  if (value === '') fail(name, 'must not be empty');
}

// The fields a credential shares with the pending enrollment it is confirmed from, checked alike;
// `record` holds only picked fields, and its `otp` is replaced by the checked copy.
function checkDeviceFields(name: string, record: Record<string, unknown>): void {
  assertId(`${name}.id`, record.id);
  assertId(`${name}.userId`, record.userId);
  assertOptionalId(`${name}.tenantId`, record.tenantId);
  assertKind(`${name}.kind`, record.kind);
  assertLabel(`${name}.label`, record.label);
  const otp = otpFields(`${name}.otp`, record.otp, record.kind);
  if (otp !== undefined) record.otp = otp;
  if (record.address !== undefined) assertText(`${name}.address`, record.address);
}

/**
 * A whole credential record.
 *
 * @internal
 */
export function checkCredential(value: unknown): CredentialRecord {
  const credential = pick('credential', value, [
    'id',
    'userId',
    'tenantId',
    'kind',
    'label',
    'otp',
    'address',
    'lastUsedStep',
    'driftSteps',
    'createdAt',
    'lastUsedAt',
    'switchedOffAt',
  ]);
  checkDeviceFields('credential', credential);
  if (credential.lastUsedStep !== undefined)
    assertInteger('credential.lastUsedStep', credential.lastUsedStep);
  if (credential.driftSteps !== undefined) assertInteger('credential.driftSteps', credential.driftSteps);
  assertTime('credential.createdAt', credential.createdAt);
  if (credential.lastUsedAt !== undefined) assertTime('credential.lastUsedAt', credential.lastUsedAt);
  if (credential.switchedOffAt !== undefined)
    assertTime('credential.switchedOffAt', credential.switchedOffAt);
  return credential as unknown as CredentialRecord;
}

/**
 * A whole pending-enrollment record.
 *
 * @internal
 */
export function checkPendingEnrollment(value: unknown): PendingEnrollmentRecord {
  const pending = pick('pending', value, [
    'id',
    'userId',
    'tenantId',
    'kind',
    'label',
    'otp',
    'address',
    'createdAt',
    'expiresAt',
  ]);
  checkDeviceFields('pending', pending);
  assertTime('pending.createdAt', pending.createdAt);
  assertTime('pending.expiresAt', pending.expiresAt);
  return pending as unknown as PendingEnrollmentRecord;
}

// Small non-secret state: strings, finite numbers and booleans, at most 4096 characters as JSON.
function challengeData(value: unknown): ChallengeRecord['data'] {
  if (typeof value !== 'object' || value === null) fail('challenge.data', 'must be an object');
  const copy: Record<string, string | number | boolean> = {};
  for (const [key, item] of Object.entries(value as Plain)) {
    const ok =
      typeof item === 'boolean' ||
      (typeof item === 'number' && Number.isFinite(item)) ||
      (typeof item === 'string' && isWellFormed(item));
    if (!ok) fail(`challenge.data.${key}`, 'must be a string, a finite number or a boolean');
    copy[key] = item as string | number | boolean;
  }
  if (JSON.stringify(copy).length > 4096) fail('challenge.data', 'must serialise to at most 4096 characters');
  return copy;
}

const CHALLENGE_FIELDS = [
  'id',
  'userId',
  'tenantId',
  'kind',
  'purpose',
  'credentialId',
  'digest',
  'createdAt',
  'expiresAt',
  'maxAttempts',
  'data',
] as const;

function assertChallengeFields(challenge: Plain): void {
  assertId('challenge.id', challenge.id);
  assertId('challenge.userId', challenge.userId);
  assertOptionalId('challenge.tenantId', challenge.tenantId);
  if (challenge.kind !== 'login') assertKind('challenge.kind', challenge.kind);
  if (typeof challenge.purpose !== 'string' || !PURPOSES.has(challenge.purpose)) {
    fail('challenge.purpose', 'must be a known purpose');
  }
  assertOptionalId('challenge.credentialId', challenge.credentialId);
  // `null` means nothing was sent yet; `pick` keeps it.
  if (challenge.digest !== null) assertDigest('challenge.digest', challenge.digest);
  assertTime('challenge.createdAt', challenge.createdAt);
  assertTime('challenge.expiresAt', challenge.expiresAt);
  assertInteger('challenge.attempts', challenge.attempts, 0);
  assertInteger('challenge.maxAttempts', challenge.maxAttempts, 1, 100);
  assertInteger('challenge.deliveries', challenge.deliveries, 0);
  if (challenge.consumedAt !== undefined) assertTime('challenge.consumedAt', challenge.consumedAt);
  if (challenge.data !== undefined) challenge.data = challengeData(challenge.data);
}

/**
 * What `createChallenge` stores for a {@link NewChallenge}: the caller's fields, checked, with the ones
 * the store owns set by it: no attempts, one delivery when a digest is given (none while it is `null`),
 * not consumed. A caller that sets any of them is refused, naming each one it set.
 *
 * @internal
 */
export function checkNewChallenge(value: unknown): ChallengeRecord {
  const given = pick('challenge', value, [...CHALLENGE_FIELDS, ...STORE_OWNED]);
  const owned = STORE_OWNED.filter((key) => given[key] !== undefined);
  if (owned.length > 0) {
    fail(
      owned.map((key) => `challenge.${key}`).join(', '),
      'must be left out: the store sets attempts, deliveries and consumedAt',
    );
  }
  const challenge: Plain = { ...given, attempts: 0, deliveries: given.digest === null ? 0 : 1 };
  assertChallengeFields(challenge);
  return challenge as unknown as ChallengeRecord;
}

/**
 * A whole challenge as stored, with the fields the store owns (the snapshot loader).
 *
 * @internal
 */
export function checkChallenge(value: unknown): ChallengeRecord {
  const challenge = pick('challenge', value, [...CHALLENGE_FIELDS, ...STORE_OWNED]);
  assertChallengeFields(challenge);
  return challenge as unknown as ChallengeRecord;
}

/**
 * Lockout limits, with the defaults filled in: `backoffFactor` 1, `maxLockoutMs` = `lockoutMs`.
 *
 * @internal
 */
export function checkFailureLimits(name: string, value: unknown): CheckedFailureLimits {
  const limits = pick(name, value, ['maxFailures', 'windowMs', 'lockoutMs', 'backoffFactor', 'maxLockoutMs']);
  assertInteger(`${name}.maxFailures`, limits.maxFailures, 1, 1000);
  assertDuration(`${name}.windowMs`, limits.windowMs, 1);
  assertDuration(`${name}.lockoutMs`, limits.lockoutMs, 1);
  // Whole factors keep lockoutMs × factor^n exact in every backend: JavaScript, SQL and Lua round
  // fractional powers differently.
  const factor = limits.backoffFactor ?? 1;
  if (typeof factor !== 'number' || !Number.isInteger(factor) || factor < 1 || factor > 10) {
    fail(`${name}.backoffFactor`, 'must be a whole number from 1 to 10');
  }
  const cap = limits.maxLockoutMs ?? limits.lockoutMs;
  if (limits.maxLockoutMs !== undefined) {
    assertDuration(`${name}.maxLockoutMs`, cap);
    if (cap < limits.lockoutMs) fail(`${name}.maxLockoutMs`, 'must not be below lockoutMs');
  }
  return {
    maxFailures: limits.maxFailures,
    windowMs: limits.windowMs,
    lockoutMs: limits.lockoutMs,
    backoffFactor: factor,
    maxLockoutMs: cap as number,
  };
}

/**
 * A trusted-device record.
 *
 * @internal
 */
export function checkTrustedDevice(value: unknown): TrustedDeviceRecord {
  const device = pick('device', value, ['id', 'userId', 'digest', 'label', 'createdAt', 'expiresAt']);
  assertId('device.id', device.id);
  assertId('device.userId', device.userId);
  assertDigest('device.digest', device.digest);
  if (device.label !== undefined) assertText('device.label', device.label, 120);
  assertTime('device.createdAt', device.createdAt);
  assertTime('device.expiresAt', device.expiresAt);
  return device as unknown as TrustedDeviceRecord;
}

/**
 * An audit event; `data` goes through JSON, as it would in any database. `name` is the parameter the
 * messages name (`appendAudit`'s `event`, `completeLogin`'s `options.audit`).
 *
 * @internal
 */
export function checkAuditEvent(value: unknown, name = 'event'): AuditEvent {
  const event = pick(name, value, ['id', 'at', 'type', 'userId', 'actorId', 'tenantId', 'data']);
  assertId(`${name}.id`, event.id);
  assertTime(`${name}.at`, event.at);
  if (typeof event.type !== 'string' || !/^[a-z][a-z0-9_.]{0,63}$/.test(event.type)) {
    fail(`${name}.type`, 'must be a dotted lowercase name of at most 64 characters');
  }
  assertOptionalId(`${name}.userId`, event.userId);
  assertOptionalId(`${name}.actorId`, event.actorId);
  assertOptionalId(`${name}.tenantId`, event.tenantId);
  if (event.data !== undefined) {
    let json: string | undefined;
    try {
      json = JSON.stringify(event.data);
    } catch {
      fail(`${name}.data`, 'must be JSON-serialisable');
    }
    if (json === undefined || json.length > 16_384)
      fail(`${name}.data`, 'must serialise to at most 16384 characters');
    event.data = JSON.parse(json);
  }
  return event as unknown as AuditEvent;
}
