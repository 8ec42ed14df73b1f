/**
 * @module
 * The state of a {@link MemoryStore}: one map per record kind, the copies that keep callers from
 * reaching into it, and its JSON form (the snapshot file and the conformance suite's raw dump).
 */
import { SecondFactorError } from '@secondfactor/core';
import type { FailureCounter } from './failures';
import type {
  AuditEvent,
  ChallengeRecord,
  CredentialRecord,
  OtpFields,
  PendingEnrollmentRecord,
  TrustedDeviceRecord,
  UserSettings,
} from './records';
import {
  assertAuditEvent,
  assertChallenge,
  assertCredential,
  assertDigest,
  assertId,
  assertPendingEnrollment,
  assertTime,
  assertTrustedDevice,
  assertUserSettings,
} from './validate';

/** The backup codes of one user: digests of the codes not used yet. */
export interface BackupCodeState {
  userId: string;
  salt?: string | undefined;
  createdAt: number;
  digests: Set<string>;
}

/** Everything a memory store holds. */
export interface MemoryState {
  settings: Map<string, UserSettings>;
  credentials: Map<string, CredentialRecord>;
  pending: Map<string, PendingEnrollmentRecord>;
  backupCodes: Map<string, BackupCodeState>;
  challenges: Map<string, ChallengeRecord>;
  failures: Map<string, FailureCounter>;
  devices: Map<string, TrustedDeviceRecord>;
  /** In append order; ids kept apart so a duplicate is found without a scan. */
  audit: AuditEvent[];
  auditIds: Set<string>;
}

/** A state with nothing in it. */
export function emptyState(): MemoryState {
  return {
    settings: new Map(),
    credentials: new Map(),
    pending: new Map(),
    backupCodes: new Map(),
    challenges: new Map(),
    failures: new Map(),
    devices: new Map(),
    audit: [],
    auditIds: new Set(),
  };
}

type Plain = Record<string, unknown>;

const isPlain = (value: unknown): value is Plain => typeof value === 'object' && value !== null;

// Copies the named fields only: an extra field a caller smuggles in (a plaintext secret, say) is never
// stored, and no object the caller holds is shared with the state.
function pick(value: unknown, keys: readonly string[]): unknown {
  if (!isPlain(value)) return value;
  const out: Plain = {};
  for (const key of keys) {
    const item = value[key];
    if (item === undefined) continue;
    out[key] = isPlain(item) ? structuredClone(item) : item;
  }
  return out;
}

const OTP_KEYS = ['secretCiphertext', 'algorithm', 'digits', 'period'] as const;

function pickOtp<T>(record: unknown): T {
  const out = record as Plain;
  if (isPlain(out) && out.otp !== undefined) out.otp = pick(out.otp, OTP_KEYS) as OtpFields;
  return out as T;
}

/** A validated copy of user settings. */
export function copySettings(value: UserSettings): UserSettings {
  const keys = [
    'userId',
    'tenantId',
    'requiredByAdmin',
    'mayToggle',
    'graceStartedAt',
    'backupCodesAcknowledgedAt',
    'updatedAt',
  ];
  const copy = pick(value, keys) as UserSettings;
  assertUserSettings(copy);
  return copy;
}

/** A validated copy of a credential. */
export function copyCredential(value: CredentialRecord): CredentialRecord {
  const keys = [
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
  ];
  const copy = pickOtp<CredentialRecord>(pick(value, keys));
  assertCredential(copy);
  return copy;
}

/** A validated copy of a pending enrollment. */
export function copyPending(value: PendingEnrollmentRecord): PendingEnrollmentRecord {
  const keys = ['id', 'userId', 'tenantId', 'kind', 'label', 'otp', 'address', 'createdAt', 'expiresAt'];
  const copy = pickOtp<PendingEnrollmentRecord>(pick(value, keys));
  assertPendingEnrollment(copy);
  return copy;
}

/** A validated copy of a challenge. */
export function copyChallenge(value: ChallengeRecord): ChallengeRecord {
  const keys = [
    'id',
    'userId',
    'tenantId',
    'kind',
    'purpose',
    'credentialId',
    'digest',
    'createdAt',
    'expiresAt',
  ];
  const more = ['attempts', 'maxAttempts', 'deliveries', 'consumedAt', 'data'];
  const copy = pick(value, [...keys, ...more]) as ChallengeRecord;
  // `digest: null` is meaningful (nothing sent yet) and `pick` drops only undefined.
  assertChallenge(copy);
  return copy;
}

/** A validated copy of a trusted device. */
export function copyDevice(value: TrustedDeviceRecord): TrustedDeviceRecord {
  const copy = pick(value, [
    'id',
    'userId',
    'digest',
    'label',
    'createdAt',
    'expiresAt',
  ]) as TrustedDeviceRecord;
  assertTrustedDevice(copy);
  return copy;
}

/** A validated copy of an audit event; `data` goes through JSON as it would in any database. */
export function copyAuditEvent(value: AuditEvent): AuditEvent {
  assertAuditEvent(value);
  const copy = pick(value, ['id', 'at', 'type', 'userId', 'actorId', 'tenantId']) as AuditEvent;
  if (value.data !== undefined) copy.data = JSON.parse(JSON.stringify(value.data)) as AuditEvent['data'];
  assertAuditEvent(copy);
  return copy;
}

/** A copy for a caller, so nothing it does to the object reaches the state. */
export function out<T>(value: T): T {
  return structuredClone(value);
}

const SNAPSHOT_VERSION = 1;

/** The state as JSON text: what the snapshot file holds. */
export function serializeState(state: MemoryState): string {
  return JSON.stringify({
    version: SNAPSHOT_VERSION,
    settings: [...state.settings.values()],
    credentials: [...state.credentials.values()],
    pending: [...state.pending.values()],
    backupCodes: [...state.backupCodes.values()].map((set) => ({ ...set, digests: [...set.digests] })),
    challenges: [...state.challenges.values()],
    failures: [...state.failures].map(([key, counter]) => ({ key, ...counter })),
    devices: [...state.devices.values()],
    audit: state.audit,
  });
}

const broken = (why: string): never => {
  throw new SecondFactorError('store_unavailable', `snapshotFile is not a secondfactor snapshot: ${why}`);
};

function list(snapshot: Plain, key: string): unknown[] {
  const value = snapshot[key];
  if (!Array.isArray(value)) return broken(`${key} is missing`);
  return value;
}

/** Reads a snapshot back, validating every record as if it came through the API. */
export function deserializeState(text: string): MemoryState {
  let snapshot: unknown;
  try {
    snapshot = JSON.parse(text);
  } catch {
    return broken('not JSON');
  }
  if (!isPlain(snapshot) || snapshot.version !== SNAPSHOT_VERSION) return broken('unknown version');
  const state = emptyState();
  try {
    for (const item of list(snapshot, 'settings')) {
      const record = copySettings(item as UserSettings);
      state.settings.set(record.userId, record);
    }
    for (const item of list(snapshot, 'credentials')) {
      const record = copyCredential(item as CredentialRecord);
      state.credentials.set(record.id, record);
    }
    for (const item of list(snapshot, 'pending')) {
      const record = copyPending(item as PendingEnrollmentRecord);
      state.pending.set(record.id, record);
    }
    for (const item of list(snapshot, 'backupCodes')) {
      const set = item as { userId: unknown; salt?: unknown; createdAt: unknown; digests: unknown };
      assertId('backupCodes.userId', set.userId);
      assertTime('backupCodes.createdAt', set.createdAt);
      if (!Array.isArray(set.digests)) return broken('backupCodes.digests is missing');
      for (const digest of set.digests) assertDigest('backupCodes.digests', digest);
      const entry: BackupCodeState = {
        userId: set.userId,
        createdAt: set.createdAt,
        digests: new Set(set.digests),
      };
      if (typeof set.salt === 'string') entry.salt = set.salt;
      state.backupCodes.set(set.userId, entry);
    }
    for (const item of list(snapshot, 'challenges')) {
      const record = copyChallenge(item as ChallengeRecord);
      state.challenges.set(record.id, record);
    }
    for (const item of list(snapshot, 'failures')) {
      const { key, count, windowEndsAt, lockedUntil, lockouts } = item as Plain;
      assertId('failures.key', key);
      for (const value of [count, windowEndsAt, lockouts]) assertTime('failures', value);
      if (lockedUntil !== null) assertTime('failures.lockedUntil', lockedUntil);
      state.failures.set(key, { count, windowEndsAt, lockedUntil, lockouts } as FailureCounter);
    }
    for (const item of list(snapshot, 'devices')) {
      const record = copyDevice(item as TrustedDeviceRecord);
      state.devices.set(record.id, record);
    }
    for (const item of list(snapshot, 'audit')) {
      const record = copyAuditEvent(item as AuditEvent);
      state.audit.push(record);
      state.auditIds.add(record.id);
    }
  } catch (error) {
    if (error instanceof SecondFactorError && error.code === 'invalid_argument') {
      return broken(error.message);
    }
    throw error;
  }
  return state;
}
