/**
 * @module
 * Challenges: stored with their TTL, read for their user, consumed with the whole outcome decided in one
 * script, resent (rotated) and deleted (checklist G2–G6, E1, E4, D5). The id is claimed across users
 * (`id-claims.ts`) for as long as the record lives.
 */

import { SecondFactorError } from '@secondfactor/core';
import type {
  ChallengeRecord,
  ConsumeChallengeOptions,
  ConsumeChallengeResult,
  RotateChallengeOptions,
} from '@secondfactor/store';
import { challengeJson, decodeChallenge, type Field, optional } from '../codec';
import { keyPart } from '../key-part';
import { conflict, LEASE_MS, lifeMs, type OpContext, withRoot } from './context';
import { claimId, extendId, releaseIds } from './id-claims';

/** Stores a challenge; `conflict` if its id exists. */
export async function createChallenge(ctx: OpContext, challenge: ChallengeRecord): Promise<void> {
  const [id, user] = [keyPart(challenge.id), keyPart(challenge.userId)];
  if (ctx.cluster) {
    const life = lifeMs(challenge.expiresAt, challenge.createdAt, ctx.retainMs) + LEASE_MS;
    await claimId(ctx, 'challenge', id, user, 'challenge.id', life);
  }
  const created = await ctx.run('createChallenge', withRoot(ctx, ctx.key.user(user)), [
    id,
    user,
    challengeJson(challenge),
    challenge.digest ?? '',
    String(challenge.createdAt),
    String(challenge.expiresAt),
    String(challenge.attempts),
    String(challenge.maxAttempts),
    String(challenge.deliveries),
    optional(challenge.consumedAt),
    String(ctx.retainMs),
    challenge.kind,
  ]);
  if (created !== 1) throw conflict('challenge.id');
}

/** The challenge, only if it belongs to `userId`. */
export async function getChallenge(
  ctx: OpContext,
  userId: string,
  challengeId: string,
): Promise<ChallengeRecord | null> {
  const base = ctx.key.user(keyPart(userId));
  const fields = (await ctx.run('getChallenge', [base], [keyPart(challengeId)])) as Field[] | null;
  return fields === null ? null : decodeChallenge(fields);
}

const OUTCOMES: ReadonlySet<string> = new Set([
  'ok',
  'mismatch',
  'expired',
  'consumed',
  'locked',
  'not_found',
]);

/** Checks a code and counts the attempt in one script. */
export async function consumeChallenge(
  ctx: OpContext,
  userId: string,
  challengeId: string,
  { digest, now }: ConsumeChallengeOptions,
): Promise<ConsumeChallengeResult> {
  const base = ctx.key.user(keyPart(userId));
  const outcome = await ctx.run('consumeChallenge', [base], [keyPart(challengeId), digest, String(now)]);
  if (typeof outcome === 'string' && OUTCOMES.has(outcome)) return outcome as ConsumeChallengeResult;
  throw new SecondFactorError('internal', 'consumeChallenge got an unknown outcome from Redis');
}

/** Resend: new digest and expiry, one more delivery, attempts kept. */
export async function rotateChallenge(
  ctx: OpContext,
  userId: string,
  challengeId: string,
  { digest, expiresAt, now }: RotateChallengeOptions,
): Promise<ChallengeRecord | null> {
  const [user, id] = [keyPart(userId), keyPart(challengeId)];
  const args = [id, digest, String(expiresAt), String(now), String(ctx.retainMs)];
  const fields = (await ctx.run('rotateChallenge', withRoot(ctx, ctx.key.user(user)), args)) as
    | Field[]
    | null;
  if (fields === null) return null;
  if (ctx.cluster)
    await extendId(ctx, 'challenge', id, user, lifeMs(expiresAt, now, ctx.retainMs) + LEASE_MS);
  return decodeChallenge(fields);
}

/** Removes the challenge of `userId`; false if there was none. */
export async function deleteChallenge(ctx: OpContext, userId: string, challengeId: string): Promise<boolean> {
  const [user, id] = [keyPart(userId), keyPart(challengeId)];
  const removed = (await ctx.run('deleteChallenge', withRoot(ctx, ctx.key.user(user)), [id])) === 1;
  if (removed && ctx.cluster) await releaseIds(ctx, 'challenge', [id], user);
  return removed;
}
