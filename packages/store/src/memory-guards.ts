/**
 * @module
 * Memory-store primitives for attempt counters (the reference arithmetic of `failures.ts`), trusted
 * devices, the admin reset of a user and the append-only audit log.
 */
import {
  checkClearFailuresArgs,
  checkFindTrustedDeviceArgs,
  checkGetFailuresArgs,
  checkListAuditArgs,
  checkRegisterFailureArgs,
  checkUserIdArg,
} from './check-args';
import { type FailureCounter, nextFailureCounter, readFailureState } from './failures';
import { conflict, type MemoryCore } from './memory-core';
import { copyAuditEvent, copyDevice, out } from './memory-state';
import type { AuditEvent, FailureLimits, FailureState, TrustedDeviceRecord } from './records';
import type { ResetUserResult } from './store';

// --- attempt counters ----------------------------------------------------------------------------

export async function registerFailure(
  core: MemoryCore,
  key: string,
  now: number,
  limits: FailureLimits,
): Promise<FailureState> {
  const rule = checkRegisterFailureArgs(key, now, limits);
  await core.ready();
  const next: FailureCounter = nextFailureCounter(core.state.failures.get(key) ?? null, now, rule);
  core.state.failures.set(key, next);
  await core.persist();
  return { count: next.count, lockedUntil: next.lockedUntil };
}

export async function getFailures(core: MemoryCore, key: string, now: number): Promise<FailureState> {
  checkGetFailuresArgs(key, now);
  await core.ready();
  return readFailureState(core.state.failures.get(key) ?? null, now);
}

export async function clearFailures(core: MemoryCore, key: string): Promise<void> {
  checkClearFailuresArgs(key);
  await core.ready();
  if (core.state.failures.delete(key)) await core.persist();
}

// --- trusted devices -----------------------------------------------------------------------------

function devicesOf(core: MemoryCore, userId: string): TrustedDeviceRecord[] {
  return [...core.state.devices.values()].filter((item) => item.userId === userId);
}

export async function addTrustedDevice(core: MemoryCore, device: TrustedDeviceRecord): Promise<void> {
  const copy = copyDevice(device);
  await core.ready();
  if (core.state.devices.has(copy.id)) conflict('device.id');
  if (devicesOf(core, copy.userId).some((item) => item.digest === copy.digest)) conflict('device.digest');
  core.state.devices.set(copy.id, copy);
  await core.persist();
}

export async function findTrustedDevice(
  core: MemoryCore,
  userId: string,
  digest: string,
  now: number,
): Promise<TrustedDeviceRecord | null> {
  checkFindTrustedDeviceArgs(userId, digest, now);
  await core.ready();
  const device = devicesOf(core, userId).find((item) => item.digest === digest && now < item.expiresAt);
  return device === undefined ? null : out(device);
}

export async function revokeTrustedDevices(core: MemoryCore, userId: string): Promise<number> {
  checkUserIdArg(userId);
  await core.ready();
  const devices = devicesOf(core, userId);
  for (const device of devices) core.state.devices.delete(device.id);
  if (devices.length > 0) await core.persist();
  return devices.length;
}

// --- whole-user operations -----------------------------------------------------------------------

export async function resetUser(core: MemoryCore, userId: string): Promise<ResetUserResult> {
  checkUserIdArg(userId);
  await core.ready();
  const { state } = core;
  const remove = <T extends { userId: string }>(map: Map<string, T>): number => {
    let removed = 0;
    for (const [id, item] of map) if (item.userId === userId && map.delete(id)) removed += 1;
    return removed;
  };
  const result: ResetUserResult = {
    credentials: remove(state.credentials),
    backupCodes: state.backupCodes.get(userId)?.digests.size ?? 0,
    pendingEnrollments: remove(state.pending),
    trustedDevices: remove(state.devices),
    challenges: remove(state.challenges),
  };
  state.backupCodes.delete(userId);
  await core.persist();
  return result;
}

// --- audit log -----------------------------------------------------------------------------------

export async function appendAudit(core: MemoryCore, event: AuditEvent): Promise<void> {
  const copy = copyAuditEvent(event);
  await core.ready();
  // Append-only: an id seen before is refused, never overwritten.
  if (core.state.auditIds.has(copy.id)) conflict('event.id');
  core.state.audit.push(copy);
  core.state.auditIds.add(copy.id);
  await core.persist();
}

export async function listAudit(
  core: MemoryCore,
  filter: {
    userId?: string | undefined;
    tenantId?: string | undefined;
    since?: number | undefined;
    limit?: number | undefined;
  },
): Promise<AuditEvent[]> {
  const { userId, tenantId, since, limit } = checkListAuditArgs(filter);
  await core.ready();
  // Newest first; events of the same millisecond in reverse order of appending (stable sort).
  return [...core.state.audit]
    .reverse()
    .filter(
      (event) =>
        (userId === undefined || event.userId === userId) &&
        (tenantId === undefined || event.tenantId === tenantId) &&
        (since === undefined || event.at >= since),
    )
    .sort((a, b) => b.at - a.at)
    .slice(0, limit)
    .map(out);
}

/** Waits for the last snapshot write. The store stays usable. */
