/**
 * @module
 * Challenges: stored with their TTL, read for their user, consumed with the whole outcome decided in one
 * script, resent (rotated) and deleted (checklist G2–G6, E1, E4, D5).
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
import { conflict, type OpContext } from './context';

/** Stores a challenge; `conflict` if its id exists. */
export async function createChallenge(ctx: OpContext, challenge: ChallengeRecord): Promise<void> {
  const created = await ctx.run('createChallenge', [
    keyPart(challenge.id),
    keyPart(challenge.userId),
    challengeJson(challenge),
    challenge.digest ?? '',
    String(challenge.createdAt),
    String(challenge.expiresAt),
    String(challenge.attempts),
    String(challenge.maxAttempts),
    String(challenge.deliveries),
    optional(challenge.consumedAt),
    ctx.retainMs,
  ]);
  if (created !== 1) throw conflict('challenge.id');
}

/** The challenge, only if it belongs to `userId`. */
export async function getChallenge(
  ctx: OpContext,
  userId: string,
  challengeId: string,
): Promise<ChallengeRecord | null> {
  const fields = (await ctx.run('getChallenge', [keyPart(userId), keyPart(challengeId)])) as Field[] | null;
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
  const outcome = await ctx.run('consumeChallenge', [
    keyPart(userId),
    keyPart(challengeId),
    digest,
    String(now),
  ]);
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
  const args = [keyPart(userId), keyPart(challengeId), digest, String(expiresAt), String(now), ctx.retainMs];
  const fields = (await ctx.run('rotateChallenge', args)) as Field[] | null;
  return fields === null ? null : decodeChallenge(fields);
}

/** Removes the challenge of `userId`; false if there was none. */
export async function deleteChallenge(ctx: OpContext, userId: string, challengeId: string): Promise<boolean> {
  return (await ctx.run('deleteChallenge', [keyPart(userId), keyPart(challengeId)])) === 1;
}
