/**
 * @module
 * Records to script arguments and script replies back to records. A record is split into an immutable
 * JSON part, written by JavaScript and never parsed by Lua, and the fields scripts compare or change
 * (steps, times, counters, digests, the sealed secret), each in its own hash field as a decimal string.
 * Only the fields the contract names are written: an extra property a caller adds is never stored.
 */
import type {
  AuditEvent,
  ChallengeRecord,
  CredentialRecord,
  OtpFields,
  PendingEnrollmentRecord,
  TrustedDeviceRecord,
  UserSettings,
} from '@secondfactor/store';
import type { CheckedUserSettingsPatch } from '@secondfactor/store/adapter';
import { SETTINGS_FIELDS } from './fields';

/** A reply field: a string, or null for a field the hash does not hold. */
export type Field = string | null;

/** `''` stands for "absent" in script arguments (no argument of the store is an empty string). */
export const optional = (value: string | number | undefined): string =>
  value === undefined ? '' : String(value);

const num = (field: Field): number => Number(field);

function otpShape(otp: OtpFields | undefined): Omit<OtpFields, 'secretCiphertext'> | undefined {
  if (otp === undefined) return undefined;
  return { algorithm: otp.algorithm, digits: otp.digits, period: otp.period };
}

/** The immutable part of a credential or pending enrollment (the sealed secret is kept apart: rotation). */
export function credentialJson(record: CredentialRecord | PendingEnrollmentRecord): string {
  const { id, userId, tenantId, kind, label, otp, address } = record;
  return JSON.stringify({ id, userId, tenantId, kind, label, otp: otpShape(otp), address });
}

/** A credential from the fields `CREDENTIAL_FIELDS` names, in that order (a renamed one's `label` wins). */
export function decodeCredential(fields: readonly Field[]): CredentialRecord {
  const [json, secret, createdAt, lastUsedStep, driftSteps, lastUsedAt, label, switchedOffAt] = fields;
  const record = JSON.parse(json ?? '{}') as CredentialRecord;
  if (label != null) record.label = label;
  if (record.otp !== undefined && secret != null) record.otp.secretCiphertext = secret;
  record.createdAt = num(createdAt ?? null);
  if (lastUsedStep != null) record.lastUsedStep = num(lastUsedStep);
  if (driftSteps != null) record.driftSteps = num(driftSteps);
  if (lastUsedAt != null) record.lastUsedAt = num(lastUsedAt);
  if (switchedOffAt != null) record.switchedOffAt = num(switchedOffAt);
  return record;
}

/** A pending enrollment from json, secret, createdAt, expiresAt. */
export function decodePending(fields: readonly Field[]): PendingEnrollmentRecord {
  const [json, secret, createdAt, expiresAt] = fields;
  const record = JSON.parse(json ?? '{}') as PendingEnrollmentRecord;
  if (record.otp !== undefined && secret != null) record.otp.secretCiphertext = secret;
  record.createdAt = num(createdAt ?? null);
  record.expiresAt = num(expiresAt ?? null);
  return record;
}

/** The immutable part of a challenge. */
export function challengeJson(record: ChallengeRecord): string {
  const { id, userId, tenantId, kind, purpose, credentialId, createdAt, data } = record;
  return JSON.stringify({ id, userId, tenantId, kind, purpose, credentialId, createdAt, data });
}

/** A challenge from the fields `CHALLENGE_FIELDS` names, in that order. */
export function decodeChallenge(fields: readonly Field[]): ChallengeRecord {
  const [json, digest, expiresAt, attempts, maxAttempts, deliveries, consumedAt] = fields;
  const record = JSON.parse(json ?? '{}') as ChallengeRecord;
  record.digest = digest ?? null;
  record.expiresAt = num(expiresAt ?? null);
  record.attempts = num(attempts ?? null);
  record.maxAttempts = num(maxAttempts ?? null);
  record.deliveries = num(deliveries ?? null);
  if (consumedAt != null) record.consumedAt = num(consumedAt);
  return record;
}

/** A trusted device as JSON (immutable once added). */
export function deviceJson(record: TrustedDeviceRecord): string {
  const { id, userId, digest, label, createdAt, expiresAt } = record;
  return JSON.stringify({ id, userId, digest, label, createdAt, expiresAt });
}

/** User settings as JSON: the `json` field of the settings hash. */
export function settingsJson(record: UserSettings): string {
  const {
    userId,
    tenantId,
    useTwoFactor,
    mayToggle,
    graceStartedAt,
    backupCodesAcknowledgedAt,
    enrollmentResetAt,
    updatedAt,
  } = record;
  return JSON.stringify({
    userId,
    tenantId,
    useTwoFactor,
    mayToggle,
    graceStartedAt,
    backupCodesAcknowledgedAt,
    enrollmentResetAt,
    updatedAt,
  });
}

/** The fields an update writes: the patch, and the tenant and the time of the update. */
type SettingsChange = CheckedUserSettingsPatch & { tenantId?: string; updatedAt?: number };

// The fields whose `null` means "absent" (times); for the two switches `null` is a value of its own.
const CLEARED_BY_NULL: ReadonlySet<string> = new Set([
  'graceStartedAt',
  'backupCodesAcknowledgedAt',
  'enrollmentResetAt',
]);

/** `record` with `change` applied (as `SecondFactorStore.updateUserSettings` describes it), in place. */
export function applySettingsChange(record: UserSettings, change: SettingsChange): UserSettings {
  const target = record as unknown as Record<string, unknown>;
  for (const [name, value] of Object.entries(change)) {
    if (value === null && CLEARED_BY_NULL.has(name)) delete target[name];
    else target[name] = value;
  }
  return record;
}

/** The field/value pairs an update writes into the settings hash: each a JSON value (`null` clears). */
export function settingsChangeFields(change: SettingsChange): string[] {
  return Object.entries(change).flatMap(([name, value]) => [name, JSON.stringify(value)]);
}

/**
 * Settings from the fields `SETTINGS_FIELDS` names, in that order: the record in `json` with the fields
 * an update wrote since applied over it. A record written before `mayToggle` could be `null`, or before
 * `enrollmentResetAt` existed, reads as it was stored.
 */
export function decodeSettings(fields: readonly Field[]): UserSettings {
  const [json, ...changed] = fields;
  const change: Record<string, unknown> = {};
  SETTINGS_FIELDS.slice(1).forEach((name, index) => {
    const value = changed[index];
    if (value != null) change[name] = JSON.parse(value);
  });
  return applySettingsChange(JSON.parse(json ?? '{}') as UserSettings, change as SettingsChange);
}

/** An audit event as JSON; `data` goes through JSON as it would in any database. */
export function auditJson(event: AuditEvent): string {
  const { id, at, type, userId, actorId, tenantId, data } = event;
  return JSON.stringify({ id, at, type, userId, actorId, tenantId, data });
}

/** Parses JSON the adapter itself wrote. */
export const parse = <T>(json: Field): T => JSON.parse(json ?? 'null') as T;
