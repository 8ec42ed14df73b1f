/**
 * @module
 * Memory-store primitives for trusted devices ("remember this browser"): token digests with an expiry.
 */

import type { TrustedDeviceRecord } from '../../records';
import type { NowOptions } from '../../store-types';
import { conflict, type MemoryCore } from '../core';
import { out } from '../state';

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
