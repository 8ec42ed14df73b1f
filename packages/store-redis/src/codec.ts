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

/** A credential from the fields `CREDENTIAL_FIELDS` names, in that order. */
export function decodeCredential(fields: readonly Field[]): CredentialRecord {
  const [json, secret, createdAt, lastUsedStep, driftSteps, lastUsedAt] = fields;
  const record = JSON.parse(json ?? '{}') as CredentialRecord;
  if (record.otp !== undefined && secret != null) record.otp.secretCiphertext = secret;
  record.createdAt = num(createdAt ?? null);
  if (lastUsedStep != null) record.lastUsedStep = num(lastUsedStep);
  if (driftSteps != null) record.driftSteps = num(driftSteps);
  if (lastUsedAt != null) record.lastUsedAt = num(lastUsedAt);
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

/** User settings as JSON. */
export function settingsJson(record: UserSettings): string {
  const { userId, tenantId, useTwoFactor, mayToggle, graceStartedAt, backupCodesAcknowledgedAt, updatedAt } =
    record;
  return JSON.stringify({
    userId,
    tenantId,
    useTwoFactor,
    mayToggle,
    graceStartedAt,
    backupCodesAcknowledgedAt,
    updatedAt,
  });
}

/** An audit event as JSON; `data` goes through JSON as it would in any database. */
export function auditJson(event: AuditEvent): string {
  const { id, at, type, userId, actorId, tenantId, data } = event;
  return JSON.stringify({ id, at, type, userId, actorId, tenantId, data });
}

/** Parses JSON the adapter itself wrote. */
export const parse = <T>(json: Field): T => JSON.parse(json ?? 'null') as T;
