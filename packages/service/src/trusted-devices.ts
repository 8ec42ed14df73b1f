/**
 * @module
 * Trusted devices ("remember this browser for N days", where the policy allows it). The browser keeps a
 * random 256-bit token; the store keeps only its SHA-256 digest, bound to the user, with an expiry. A
 * token too random to guess needs no key: the digest only keeps a copy of the database from being
 * replayed as cookies. Resetting 2FA or switching it off removes every trusted device of the user (the
 * store's `resetUser`), and the user may forget them all himself (`forgetTrustedDevices`).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { fillRandom, isMethod, type Method } from '@secondfactor/core';
import type { Actor } from '@secondfactor/policy';
import { type EventScope, emit } from './events';
import type { LoginSuccess } from './login';
import type { ServiceContext } from './options';
import { base64url } from './random-id';
import { checkActor, checkProofsAt, checkTenancy, type TwoFactorUser } from './subject';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const DAY_MS = 86_400_000;
const encoder = new TextEncoder();

// Domain-separated and bound to the user, so a token of one user is nothing for another.
const digestOf = (userId: string, token: string): string =>
  bytesToHex(sha256(encoder.encode(`secondfactor/trusted-device\u0000${userId}\u0000${token}`)));

/**
 * The login a valid trusted-device token stands for, or `null` (unknown, expired, revoked, another user's,
 * malformed, or trusted devices not allowed by the policy). Its proof is the verification the device was
 * remembered at: `at` is that time, so actions that ask for a recent second factor still ask. @internal
 */
export async function trustedDeviceLogin(
  ctx: ServiceContext,
  user: TwoFactorUser,
  token: string,
  now: number,
): Promise<LoginSuccess | null> {
  if (ctx.policy.settings.sessions.rememberDeviceDays === 0 || !TOKEN.test(token)) return null;
  const device = await ctx.store.findTrustedDevice(user.id, digestOf(user.id, token), { now });
  if (device === null) return null;
  const method: Method = device.label !== undefined && isMethod(device.label) ? device.label : 'totp';
  return {
    userId: user.id,
    method,
    fallback: method === 'backup_code',
    at: device.createdAt,
    sessionEpoch: await ctx.store.getSessionEpoch(user.id),
  };
}

/**
 * Remembers the browser after a successful login, when the policy allows it: the token (shown this once)
 * and when it expires; `null` when the policy has no trusted devices. @internal
 */
export async function issueTrustedDevice(
  ctx: ServiceContext,
  scope: EventScope,
  method: Method,
  now: number,
): Promise<{ trustedDeviceToken: string; trustedDeviceExpiresAt: number } | null> {
  const days = ctx.policy.settings.sessions.rememberDeviceDays;
  if (days === 0) return null;
  const bytes = new Uint8Array(32);
  fillRandom(ctx.random, bytes, 'options.random');
  const token = base64url(bytes);
  const id = ctx.ids.id();
  const expiresAt = now + days * DAY_MS;
  await ctx.store.addTrustedDevice({
    id,
    userId: scope.userId,
    digest: digestOf(scope.userId, token),
    // The method the browser was remembered with: the proof a later trusted login stands for.
    label: method,
    createdAt: now,
    expiresAt,
  });
  await emit(ctx, scope, 'trusted_device.added', now, { trustedDeviceId: id, expiresAt });
  return { trustedDeviceToken: token, trustedDeviceExpiresAt: expiresAt };
}

/** @internal See `TwoFactor.forgetTrustedDevices`. */
export async function forgetTrustedDevices(
  ctx: ServiceContext,
  actorInput: Actor,
): Promise<{ forgotten: number }> {
  const actor = checkActor(actorInput);
  const now = ctx.now();
  // This call asks the policy nothing: the owner may always forget his own browsers.
  checkTenancy(ctx, 'actor', actor);
  checkProofsAt(actor, now);
  const forgotten = await ctx.store.revokeTrustedDevices(actor.id);
  await emit(
    ctx,
    { userId: actor.id, tenantId: actor.tenantId, actorId: actor.id },
    'trusted_devices.forgotten',
    now,
    { forgotten },
  );
  return { forgotten };
}
