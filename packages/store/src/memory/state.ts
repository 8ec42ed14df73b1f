/**
 * @module
 * The state of a {@link MemoryStore}: one map per record kind, the copies that keep callers from
 * reaching into it, and its JSON form (the snapshot file and the conformance suite's raw dump).
 */
import { SecondFactorError } from '@secondfactor/core';
import type { FailureCounter } from '../failures';
import type {
  AuditEvent,
  ChallengeRecord,
  CredentialRecord,
  PendingEnrollmentRecord,
  TenantSettings,
  TrustedDeviceRecord,
  UserSettings,
} from '../records';
import { assertDigest, assertId, assertInteger, assertTime } from '../validate';
import {
  checkAuditEvent,
  checkChallenge,
  checkCredential,
  checkPendingEnrollment,
  checkTenantSettings,
  checkTrustedDevice,
  checkUserSettings,
} from '../validate-records';

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
  /** Session epochs by user id; a user never bumped has none (reads as 0). */
  epochs: Map<string, number>;
  /** Tenant settings by tenant id. */
  tenants: Map<string, TenantSettings>;
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
    epochs: new Map(),
    tenants: new Map(),
  };
}

type Plain = Record<string, unknown>;

const isPlain = (value: unknown): value is Plain => typeof value === 'object' && value !== null;

/** A copy for a caller, so nothing it does to the object reaches the state. */
export function out<T>(value: T): T {
  return structuredClone(value);
}

// Version 2 renamed the settings field `requiredByAdmin` to `useTwoFactor`; a version 1 file is read
// with that field renamed. Version 3 added the session epochs (a file without them has none) and the
// settings fields `mayToggle: null` and `enrollmentResetAt`, which older files never hold. Version 4
// added the tenant settings (a file without them has none). An older file is written back as the
// current version. A credential's optional `switchedOffAt` needed no new version: a file without it
// holds switched-on credentials only, which is what it meant.
const SNAPSHOT_VERSION = 4;
const VERSIONS: ReadonlySet<unknown> = new Set([1, 2, 3, SNAPSHOT_VERSION]);

function upgradeSettings(version: number, item: unknown): unknown {
  if (version !== 1 || !isPlain(item) || !Object.hasOwn(item, 'requiredByAdmin')) return item;
  const { requiredByAdmin, ...rest } = item;
  return { ...rest, useTwoFactor: requiredByAdmin };
}

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
    epochs: [...state.epochs].map(([userId, epoch]) => ({ userId, epoch })),
    tenants: [...state.tenants.values()],
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

/** Reads a snapshot back, validating every record with the checks of the API (stored challenges with their counts). */
export function deserializeState(text: string): MemoryState {
  let snapshot: unknown;
  try {
    snapshot = JSON.parse(text);
  } catch {
    return broken('not JSON');
  }
  if (!isPlain(snapshot) || !VERSIONS.has(snapshot.version)) return broken('unknown version');
  const version = snapshot.version as number;
  const state = emptyState();
  try {
    for (const item of list(snapshot, 'settings')) {
      const record = checkUserSettings(upgradeSettings(version, item));
      state.settings.set(record.userId, record);
    }
    for (const item of list(snapshot, 'credentials')) {
      const record = checkCredential(item);
      state.credentials.set(record.id, record);
    }
    for (const item of list(snapshot, 'pending')) {
      const record = checkPendingEnrollment(item);
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
      const record = checkChallenge(item);
      state.challenges.set(record.id, record);
    }
    for (const item of list(snapshot, 'failures')) {
      const { key, count, windowEndsAt, lockedUntil, lockouts } = item as Plain;
      assertId('failures.key', key);
      assertInteger('failures.count', count, 0);
      assertInteger('failures.lockouts', lockouts, 0);
      assertTime('failures.windowEndsAt', windowEndsAt);
      if (lockedUntil !== null) assertTime('failures.lockedUntil', lockedUntil);
      state.failures.set(key, { count, windowEndsAt, lockedUntil, lockouts } as FailureCounter);
    }
    for (const item of list(snapshot, 'devices')) {
      const record = checkTrustedDevice(item);
      state.devices.set(record.id, record);
    }
    for (const item of list(snapshot, 'audit')) {
      const record = checkAuditEvent(item);
      state.audit.push(record);
      state.auditIds.add(record.id);
    }
    for (const item of version < 3 ? [] : list(snapshot, 'epochs')) {
      const { userId, epoch } = item as Plain;
      assertId('epochs.userId', userId);
      assertInteger('epochs.epoch', epoch, 0);
      state.epochs.set(userId, epoch);
    }
    for (const item of version < 4 ? [] : list(snapshot, 'tenants')) {
      const record = checkTenantSettings(item);
      state.tenants.set(record.tenantId, record);
    }
  } catch (error) {
    if (error instanceof SecondFactorError && error.code === 'invalid_argument') {
      return broken(error.message);
    }
    throw error;
  }
  return state;
}
