/**
 * @module
 * Trusted devices ("remember this browser"): stored with their TTL, found by token digest for their
 * user until they expire on the injected clock, revoked all at once.
 */

import { SecondFactorError } from '@secondfactor/core';
import type { NowOptions, TrustedDeviceRecord } from '@secondfactor/store';
import { deviceJson, type Field, parse } from '../codec';
import { keyPart } from '../key-part';
import { conflict, type OpContext } from './context';

/** Stores a device; `conflict` if its id exists or the user already has a device with this digest. */
export async function addTrustedDevice(ctx: OpContext, device: TrustedDeviceRecord): Promise<void> {
  const outcome = await ctx.run('addTrustedDevice', [
    keyPart(device.id),
    keyPart(device.userId),
    deviceJson(device),
    device.digest,
    String(device.createdAt),
    String(device.expiresAt),
    ctx.retainMs,
  ]);
  if (outcome === 'id') throw conflict('device.id');
  if (outcome === 'digest') throw conflict('device.digest');
  if (outcome !== 'ok')
    throw new SecondFactorError('internal', 'addTrustedDevice got an unknown reply from Redis');
}

/** The unexpired device of `userId` with this token digest. */
export async function findTrustedDevice(
  ctx: OpContext,
  userId: string,
  digest: string,
  { now }: NowOptions,
): Promise<TrustedDeviceRecord | null> {
  const fields = (await ctx.run('findTrustedDevice', [keyPart(userId), digest])) as [Field, Field] | null;
  if (fields === null || now >= Number(fields[1])) return null;
  return parse<TrustedDeviceRecord>(fields[0]);
}

/** Removes every device of the user; returns how many. */
export async function revokeTrustedDevices(ctx: OpContext, userId: string): Promise<number> {
  return Number(await ctx.run('revokeTrustedDevices', [keyPart(userId)]));
}
