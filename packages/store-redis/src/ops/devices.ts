/**
 * @module
 * Trusted devices ("remember this browser"): stored with their TTL, found by token digest for their
 * user until they expire on the injected clock, revoked all at once. The id is claimed across users
 * (`id-claims.ts`) for as long as the record lives.
 */

import { SecondFactorError } from '@secondfactor/core';
import type { NowOptions, TrustedDeviceRecord } from '@secondfactor/store';
import { deviceJson, type Field, parse } from '../codec';
import { keyPart } from '../key-part';
import { conflict, LEASE_MS, lifeMs, type OpContext, withRoot } from './context';
import { claimId, releaseIds } from './id-claims';

/** Stores a device; `conflict` if its id exists or the user already has a device with this digest. */
export async function addTrustedDevice(ctx: OpContext, device: TrustedDeviceRecord): Promise<void> {
  const [id, user] = [keyPart(device.id), keyPart(device.userId)];
  if (ctx.cluster) {
    const life = lifeMs(device.expiresAt, device.createdAt, ctx.retainMs) + LEASE_MS;
    await claimId(ctx, 'device', id, user, 'device.id', life);
  }
  const outcome = await ctx.run('addTrustedDevice', withRoot(ctx, ctx.key.user(user)), [
    id,
    user,
    deviceJson(device),
    device.digest,
    String(device.createdAt),
    String(device.expiresAt),
    String(ctx.retainMs),
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
  const base = ctx.key.user(keyPart(userId));
  const fields = (await ctx.run('findTrustedDevice', [base], [digest])) as [Field, Field] | null;
  if (fields === null || now >= Number(fields[1])) return null;
  return parse<TrustedDeviceRecord>(fields[0]);
}

/** Removes every device of the user; returns how many. */
export async function revokeTrustedDevices(ctx: OpContext, userId: string): Promise<number> {
  const user = keyPart(userId);
  const [count, removed] = (await ctx.run('revokeTrustedDevices', withRoot(ctx, ctx.key.user(user)), [])) as [
    number,
    string[],
  ];
  if (ctx.cluster) await releaseIds(ctx, 'device', removed, user);
  return count;
}
