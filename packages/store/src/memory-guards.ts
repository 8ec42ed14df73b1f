/**
 * @module
 * Memory-store primitives for attempt counters (the reference arithmetic of `failures.ts`), trusted
 * devices, the admin reset of a user and the append-only audit log. Arguments arrive checked (and
 * records copied) by `CheckedStore`.
 */

import type { CheckedAuditFilter, CheckedRegisterFailureOptions } from './adapter/operations';
import { type FailureCounter, nextFailureCounter, readFailureState } from './failures';
import { conflict, type MemoryCore } from './memory-core';
import { out } from './memory-state';
import type { AuditEvent, FailureState, TrustedDeviceRecord } from './records';
import type { NowOptions, ResetUserResult } from './store-types';

// --- attempt counters ----------------------------------------------------------------------------

export async function registerFailure(
  core: MemoryCore,
  key: string,
  { now, limits }: CheckedRegisterFailureOptions,
): Promise<FailureState> {
  await core.ready();
  const next: FailureCounter = nextFailureCounter(core.state.failures.get(key) ?? null, now, limits);
  core.state.failures.set(key, next);
  await core.persist();
  return { count: next.count, lockedUntil: next.lockedUntil };
}

export async function getFailures(core: MemoryCore, key: string, { now }: NowOptions): Promise<FailureState> {
  await core.ready();
  return readFailureState(core.state.failures.get(key) ?? null, now);
}

export async function clearFailures(core: MemoryCore, key: string): Promise<void> {
  await core.ready();
  if (core.state.failures.delete(key)) await core.persist();
}

// --- trusted devices -----------------------------------------------------------------------------

function devicesOf(core: MemoryCore, userId: string): TrustedDeviceRecord[] {
  return [...core.state.devices.values()].filter((item) => item.userId === userId);
}

export async function addTrustedDevice(core: MemoryCore, device: TrustedDeviceRecord): Promise<void> {
  await core.ready();
  if (core.state.devices.has(device.id)) conflict('device.id');
  if (devicesOf(core, device.userId).some((item) => item.digest === device.digest)) conflict('device.digest');
  core.state.devices.set(device.id, device);
  await core.persist();
}

export async function findTrustedDevice(
  core: MemoryCore,
  userId: string,
  digest: string,
  { now }: NowOptions,
): Promise<TrustedDeviceRecord | null> {
  await core.ready();
  const device = devicesOf(core, userId).find((item) => item.digest === digest && now < item.expiresAt);
  return device === undefined ? null : out(device);
}

export async function revokeTrustedDevices(core: MemoryCore, userId: string): Promise<number> {
  await core.ready();
  const devices = devicesOf(core, userId);
  for (const device of devices) core.state.devices.delete(device.id);
  if (devices.length > 0) await core.persist();
  return devices.length;
}

// --- whole-user operations -----------------------------------------------------------------------

export async function resetUser(core: MemoryCore, userId: string): Promise<ResetUserResult> {
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
  await core.ready();
  // Append-only: an id seen before is refused, never overwritten.
  if (core.state.auditIds.has(event.id)) conflict('event.id');
  core.state.audit.push(event);
  core.state.auditIds.add(event.id);
  await core.persist();
}

export async function listAudit(
  core: MemoryCore,
  { userId, tenantId, since, limit }: CheckedAuditFilter,
): Promise<AuditEvent[]> {
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
