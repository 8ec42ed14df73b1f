/**
 * @module
 * Boundary checks every adapter runs before it touches its backend, so bad input is a typed error and
 * nothing is written. Shared by all adapters so they reject exactly the same values.
 */
import { SecondFactorError } from '@secondfactor/core';
import type {
  AuditEvent,
  ChallengeRecord,
  CredentialRecord,
  FailureLimits,
  MethodKind,
  OtpFields,
  PendingEnrollmentRecord,
  TrustedDeviceRecord,
  UserSettings,
} from './records';

const METHOD_KINDS: ReadonlySet<string> = new Set<MethodKind>([
  'totp',
  'hotp',
  'email',
  'sms',
  'voice',
  'push',
]);
const PURPOSES: ReadonlySet<string> = new Set([
  'login',
  'enroll',
  'disable',
  'change_address',
  'regenerate_backup_codes',
  'step_up',
]);
const DIGEST = /^[0-9a-f]{32,128}$/;
// Printable text without control characters; ids come from hosts (UUIDs, e-mail addresses, numbers).
// `\p{Cs}`: no lone UTF-16 surrogate either (see LONE_SURROGATE below).
// biome-ignore lint/suspicious/noControlCharactersInRegex: the class names the control characters an id must not contain.
const ID = /^[^\u0000-\u001f\u007f\p{Cs}]{1,255}$/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the class names the control characters text must not contain.
const CONTROL = /[\u0000-\u001f\u007f]/u;
// A lone UTF-16 surrogate has no UTF-8 form: drivers turn it into U+FFFD, so two different ids would
// name one row (checklist H3). Such strings are refused everywhere.
const LONE_SURROGATE = /\p{Cs}/u;

const fail = (name: string, why: string): never => {
  throw new SecondFactorError('invalid_argument', `${name} ${why}`);
};

/** An id: 1–255 characters (code points), no control characters, no lone UTF-16 surrogates. */
export function assertId(name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || !ID.test(value))
    fail(name, 'must be a string of 1 to 255 printable characters');
}

/** An optional id. */
export function assertOptionalId(name: string, value: unknown): asserts value is string | undefined {
  if (value !== undefined) assertId(name, value);
}

/** A keyed digest: lowercase hex, 16 to 64 bytes. */
export function assertDigest(name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || !DIGEST.test(value))
    fail(name, 'must be a lowercase hex digest of 16 to 64 bytes');
}

/** A Unix time in milliseconds, or any other non-negative safe integer. */
export function assertTime(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    fail(name, 'must be a non-negative safe integer');
  }
}

/** A safe integer, possibly negative (drift). */
export function assertInteger(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) fail(name, 'must be a safe integer');
}

/** Short free text (labels, addresses): 0–320 characters, no control characters. */
export function assertText(name: string, value: unknown, max = 320): asserts value is string {
  if (typeof value !== 'string' || value.length > max || CONTROL.test(value) || LONE_SURROGATE.test(value)) {
    fail(name, `must be a string of at most ${max} characters without control characters`);
  }
}

/** A sealed secret as produced by `SecretBox.seal`. */
export function assertCiphertext(name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || !/^sf1\.[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{40,400}$/.test(value)) {
    fail(name, 'must be a ciphertext produced by SecretBox.seal');
  }
}

function assertKind(name: string, value: unknown): asserts value is MethodKind {
  if (typeof value !== 'string' || !METHOD_KINDS.has(value)) fail(name, 'must be a known method kind');
}

function assertOtpFields(name: string, otp: OtpFields | undefined, kind: MethodKind): void {
  const isOtp = kind === 'totp' || kind === 'hotp';
  if (!isOtp) {
    if (otp !== undefined) fail(name, `must be absent for kind ${kind}`);
    return;
  }
  if (typeof otp !== 'object' || otp === null) {
    fail(name, `is required for kind ${kind}`);
    return;
  }
  assertCiphertext(`${name}.secretCiphertext`, otp.secretCiphertext);
  if (!['SHA1', 'SHA256', 'SHA512'].includes(otp.algorithm))
    fail(`${name}.algorithm`, 'must be SHA1, SHA256 or SHA512');
  if (!Number.isInteger(otp.digits) || otp.digits < 6 || otp.digits > 10)
    fail(`${name}.digits`, 'must be 6 to 10');
  if (
    kind === 'totp' &&
    (!Number.isInteger(otp.period) || (otp.period ?? 0) < 1 || (otp.period ?? 0) > 3600)
  ) {
    fail(`${name}.period`, 'must be 1 to 3600 seconds for totp');
  }
}

/** A whole user-settings record. */
export function assertUserSettings(value: UserSettings): void {
  if (typeof value !== 'object' || value === null) fail('settings', 'must be an object');
  assertId('settings.userId', value.userId);
  assertOptionalId('settings.tenantId', value.tenantId);
  if (value.requiredByAdmin !== null && typeof value.requiredByAdmin !== 'boolean') {
    fail('settings.requiredByAdmin', 'must be true, false or null');
  }
  if (typeof value.mayToggle !== 'boolean') fail('settings.mayToggle', 'must be a boolean');
  if (value.graceStartedAt !== undefined) assertTime('settings.graceStartedAt', value.graceStartedAt);
  if (value.backupCodesAcknowledgedAt !== undefined) {
    assertTime('settings.backupCodesAcknowledgedAt', value.backupCodesAcknowledgedAt);
  }
  assertTime('settings.updatedAt', value.updatedAt);
}

/** A whole credential record. */
export function assertCredential(value: CredentialRecord): void {
  if (typeof value !== 'object' || value === null) fail('credential', 'must be an object');
  assertId('credential.id', value.id);
  assertId('credential.userId', value.userId);
  assertOptionalId('credential.tenantId', value.tenantId);
  assertKind('credential.kind', value.kind);
  assertText('credential.label', value.label, 120);
  assertOtpFields('credential.otp', value.otp, value.kind);
  if (value.address !== undefined) assertText('credential.address', value.address);
  if (value.lastUsedStep !== undefined) assertInteger('credential.lastUsedStep', value.lastUsedStep);
  if (value.driftSteps !== undefined) assertInteger('credential.driftSteps', value.driftSteps);
  assertTime('credential.createdAt', value.createdAt);
  if (value.lastUsedAt !== undefined) assertTime('credential.lastUsedAt', value.lastUsedAt);
}

/** A whole pending-enrollment record. */
export function assertPendingEnrollment(value: PendingEnrollmentRecord): void {
  if (typeof value !== 'object' || value === null) fail('pending', 'must be an object');
  assertId('pending.id', value.id);
  assertId('pending.userId', value.userId);
  assertOptionalId('pending.tenantId', value.tenantId);
  assertKind('pending.kind', value.kind);
  assertText('pending.label', value.label, 120);
  assertOtpFields('pending.otp', value.otp, value.kind);
  if (value.address !== undefined) assertText('pending.address', value.address);
  assertTime('pending.createdAt', value.createdAt);
  assertTime('pending.expiresAt', value.expiresAt);
}

/** A whole challenge record. */
export function assertChallenge(value: ChallengeRecord): void {
  if (typeof value !== 'object' || value === null) fail('challenge', 'must be an object');
  assertId('challenge.id', value.id);
  assertId('challenge.userId', value.userId);
  assertOptionalId('challenge.tenantId', value.tenantId);
  if (value.kind !== 'login') assertKind('challenge.kind', value.kind);
  if (typeof value.purpose !== 'string' || !PURPOSES.has(value.purpose))
    fail('challenge.purpose', 'must be a known purpose');
  assertOptionalId('challenge.credentialId', value.credentialId);
  if (value.digest !== null) assertDigest('challenge.digest', value.digest);
  assertTime('challenge.createdAt', value.createdAt);
  assertTime('challenge.expiresAt', value.expiresAt);
  assertTime('challenge.attempts', value.attempts);
  assertTime('challenge.maxAttempts', value.maxAttempts);
  if (value.maxAttempts < 1 || value.maxAttempts > 100) fail('challenge.maxAttempts', 'must be 1 to 100');
  assertTime('challenge.deliveries', value.deliveries);
  if (value.consumedAt !== undefined) assertTime('challenge.consumedAt', value.consumedAt);
  if (value.data !== undefined) {
    if (typeof value.data !== 'object' || value.data === null) fail('challenge.data', 'must be an object');
    for (const [key, item] of Object.entries(value.data)) {
      const ok =
        typeof item === 'boolean' ||
        (typeof item === 'number' && Number.isFinite(item)) ||
        (typeof item === 'string' && !LONE_SURROGATE.test(item));
      if (!ok) fail(`challenge.data.${key}`, 'must be a string, a finite number or a boolean');
    }
    if (JSON.stringify(value.data).length > 4096)
      fail('challenge.data', 'must serialise to at most 4096 characters');
  }
}

/** Lockout limits. */
export function assertFailureLimits(value: FailureLimits): void {
  if (typeof value !== 'object' || value === null) fail('limits', 'must be an object');
  assertTime('limits.maxFailures', value.maxFailures);
  if (value.maxFailures < 1 || value.maxFailures > 1000) fail('limits.maxFailures', 'must be 1 to 1000');
  assertTime('limits.windowMs', value.windowMs);
  if (value.windowMs < 1) fail('limits.windowMs', 'must be positive');
  assertTime('limits.lockoutMs', value.lockoutMs);
  if (value.lockoutMs < 1) fail('limits.lockoutMs', 'must be positive');
  // Whole factors keep lockoutMs × factor^n exact in every backend: JavaScript, SQL and Lua round
  // fractional powers differently.
  const factor = value.backoffFactor ?? 1;
  if (typeof factor !== 'number' || !Number.isInteger(factor) || factor < 1 || factor > 10) {
    fail('limits.backoffFactor', 'must be a whole number from 1 to 10');
  }
  if (value.maxLockoutMs !== undefined) {
    assertTime('limits.maxLockoutMs', value.maxLockoutMs);
    if (value.maxLockoutMs < value.lockoutMs) fail('limits.maxLockoutMs', 'must not be below lockoutMs');
  }
}

/** A trusted-device record. */
export function assertTrustedDevice(value: TrustedDeviceRecord): void {
  if (typeof value !== 'object' || value === null) fail('device', 'must be an object');
  assertId('device.id', value.id);
  assertId('device.userId', value.userId);
  assertDigest('device.digest', value.digest);
  if (value.label !== undefined) assertText('device.label', value.label, 120);
  assertTime('device.createdAt', value.createdAt);
  assertTime('device.expiresAt', value.expiresAt);
}

/** An audit event. */
export function assertAuditEvent(value: AuditEvent): void {
  if (typeof value !== 'object' || value === null) fail('event', 'must be an object');
  assertId('event.id', value.id);
  assertTime('event.at', value.at);
  if (typeof value.type !== 'string' || !/^[a-z][a-z0-9_.]{0,63}$/.test(value.type)) {
    fail('event.type', 'must be a dotted lowercase name of at most 64 characters');
  }
  assertOptionalId('event.userId', value.userId);
  assertOptionalId('event.actorId', value.actorId);
  assertOptionalId('event.tenantId', value.tenantId);
  if (value.data !== undefined) {
    let json: string | undefined;
    try {
      json = JSON.stringify(value.data);
    } catch {
      fail('event.data', 'must be JSON-serialisable');
    }
    if (json === undefined || json.length > 16_384)
      fail('event.data', 'must serialise to at most 16384 characters');
  }
}
