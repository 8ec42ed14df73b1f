/**
 * @module
 * Rows to records. `bigint` columns arrive as strings from `pg` and as numbers from PGlite; both become
 * numbers (every stored value passed `Number.isSafeInteger` on the way in). SQL NULL becomes an absent
 * property, so a record reads back with the same shape it was written with. Digests are `bytea` columns
 * and lowercase hex in the contract: statements decode them with `decode($n, 'hex')` and read them as
 * {@link DIGEST_HEX}, so every driver hands over the same text.
 */
import { type Algorithm, type Method, SecondFactorError } from '@secondfactor/core';
import type {
  AuditEvent,
  ChallengeRecord,
  CredentialRecord,
  OtpFields,
  PendingEnrollmentRecord,
  TrustedDeviceRecord,
  UserSettings,
} from '@secondfactor/store';
import type { SqlRow } from './client';

/** A `bigint`/`integer` column as a number. */
export function int(value: unknown): number {
  const number = typeof value === 'number' ? value : Number(value);
  if (typeof value === 'boolean' || value === null || value === '' || !Number.isFinite(number)) {
    throw new SecondFactorError('internal', 'PostgresStore: the database returned a malformed number');
  }
  return number;
}

const text = (value: unknown): string => String(value);

/**
 * The select-list item that reads a `bytea` digest as the contract's lowercase hex. Encoding in SQL
 * keeps the driver out of it: `pg` returns `bytea` as a `Buffer`, PGlite as a `Uint8Array`, and a
 * custom `SqlClient` as anything; as text, all of them hand over the same string.
 */
export const DIGEST_HEX = `encode(digest, 'hex') AS digest`;

/** `{ [key]: value }` when the column is not NULL, `{}` otherwise: spread into a record. */
function optional<K extends string, T>(key: K, value: unknown, as: (value: unknown) => T): { [P in K]?: T } {
  return value === null || value === undefined ? {} : ({ [key]: as(value) } as { [P in K]?: T });
}

/** A row built in SQL with `row_to_json`: drivers hand `json` over parsed, or as text. */
export function jsonRow(value: unknown): SqlRow {
  return (typeof value === 'string' ? JSON.parse(value) : value) as SqlRow;
}

/** `undefined` as SQL NULL, for parameters. */
export const nullable = <T>(value: T | undefined): T | null => (value === undefined ? null : value);

/** A `user_settings` row. */
export function toUserSettings(row: SqlRow): UserSettings {
  return {
    userId: text(row.user_id),
    ...optional('tenantId', row.tenant_id, text),
    useTwoFactor: row.use_two_factor === null ? null : row.use_two_factor === true,
    mayToggle: row.may_toggle === null ? null : row.may_toggle === true,
    ...optional('graceStartedAt', row.grace_started_at, int),
    ...optional('backupCodesAcknowledgedAt', row.backup_codes_acknowledged_at, int),
    ...optional('enrollmentResetAt', row.enrollment_reset_at, int),
    updatedAt: int(row.updated_at),
  };
}

function otpFields(row: SqlRow): { otp?: OtpFields } {
  if (row.secret_ciphertext === null || row.secret_ciphertext === undefined) return {};
  return {
    otp: {
      secretCiphertext: text(row.secret_ciphertext),
      algorithm: text(row.algorithm) as Algorithm,
      digits: int(row.digits),
      ...optional('period', row.period, int),
    },
  };
}

/** A `credentials` row. */
export function toCredential(row: SqlRow): CredentialRecord {
  return {
    id: text(row.id),
    userId: text(row.user_id),
    ...optional('tenantId', row.tenant_id, text),
    kind: text(row.kind) as Method,
    label: text(row.label),
    ...otpFields(row),
    ...optional('address', row.address, text),
    ...optional('lastUsedStep', row.last_used_step, int),
    ...optional('driftSteps', row.drift_steps, int),
    createdAt: int(row.created_at),
    ...optional('lastUsedAt', row.last_used_at, int),
    ...optional('switchedOffAt', row.switched_off_at, int),
  };
}

/** A `pending_enrollments` row. */
export function toPendingEnrollment(row: SqlRow): PendingEnrollmentRecord {
  return {
    id: text(row.id),
    userId: text(row.user_id),
    ...optional('tenantId', row.tenant_id, text),
    kind: text(row.kind) as Method,
    label: text(row.label),
    ...otpFields(row),
    ...optional('address', row.address, text),
    createdAt: int(row.created_at),
    expiresAt: int(row.expires_at),
  };
}

/** A `challenges` row; `data` is JSON text. */
export function toChallenge(row: SqlRow): ChallengeRecord {
  return {
    id: text(row.id),
    userId: text(row.user_id),
    ...optional('tenantId', row.tenant_id, text),
    kind: text(row.kind) as ChallengeRecord['kind'],
    purpose: text(row.purpose) as ChallengeRecord['purpose'],
    ...optional('credentialId', row.credential_id, text),
    digest: row.digest === null ? null : text(row.digest),
    createdAt: int(row.created_at),
    expiresAt: int(row.expires_at),
    attempts: int(row.attempts),
    maxAttempts: int(row.max_attempts),
    deliveries: int(row.deliveries),
    ...optional('consumedAt', row.consumed_at, int),
    ...optional('data', row.data, (json) => JSON.parse(text(json)) as ChallengeRecord['data']),
  };
}

/** A `trusted_devices` row. */
export function toTrustedDevice(row: SqlRow): TrustedDeviceRecord {
  return {
    id: text(row.id),
    userId: text(row.user_id),
    digest: text(row.digest),
    ...optional('label', row.label, text),
    createdAt: int(row.created_at),
    expiresAt: int(row.expires_at),
  };
}

/** An `audit_events` row; `data` is JSON text. */
export function toAuditEvent(row: SqlRow): AuditEvent {
  return {
    id: text(row.id),
    at: int(row.at),
    type: text(row.type),
    ...optional('userId', row.user_id, text),
    ...optional('actorId', row.actor_id, text),
    ...optional('tenantId', row.tenant_id, text),
    ...optional('data', row.data, (json) => JSON.parse(text(json)) as AuditEvent['data']),
  };
}
