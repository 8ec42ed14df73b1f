/**
 * @module
 * Trusted devices ("remember this browser"): token digests with an expiry.
 */
import type { NowOptions, TrustedDeviceRecord } from '@secondfactor/store';
import type { Context } from '../context';
import { DIGEST_HEX, int, nullable, toTrustedDevice } from '../rows';

const COLUMNS = 'id, user_id, digest, label, created_at, expires_at';
/** {@link COLUMNS} as read: the `bytea` digest as the contract's hex. */
const SELECTED = COLUMNS.replace('digest', DIGEST_HEX);

export async function addTrustedDevice(ctx: Context, device: TrustedDeviceRecord): Promise<void> {
  // A taken id, or a token digest the user already has (unique index), is `conflict`.
  await ctx.run(
    'addTrustedDevice',
    `INSERT INTO ${ctx.t.trustedDevices} (${COLUMNS}) VALUES ($1, $2, decode($3, 'hex'), $4, $5::bigint, $6::bigint)`,
    [device.id, device.userId, device.digest, nullable(device.label), device.createdAt, device.expiresAt],
  );
}

export async function findTrustedDevice(
  ctx: Context,
  userId: string,
  digest: string,
  { now }: NowOptions,
): Promise<TrustedDeviceRecord | null> {
  const rows = await ctx.run(
    'findTrustedDevice',
    `SELECT ${SELECTED} FROM ${ctx.t.trustedDevices}
     WHERE user_id = $1 AND digest = decode($2, 'hex') AND expires_at > $3::bigint`,
    [userId, digest, now],
  );
  return rows[0] === undefined ? null : toTrustedDevice(rows[0]);
}

export async function revokeTrustedDevices(ctx: Context, userId: string): Promise<number> {
  const rows = await ctx.run(
    'revokeTrustedDevices',
    `WITH revoked AS (DELETE FROM ${ctx.t.trustedDevices} WHERE user_id = $1 RETURNING 1)
     SELECT count(*) AS revoked FROM revoked`,
    [userId],
  );
  return rows[0] === undefined ? 0 : int(rows[0].revoked);
}
