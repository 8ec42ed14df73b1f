/**
 * @module
 * Memory-store primitives for challenges (out-of-band codes and login challenges). Each check-and-write
 * runs without an `await` in between: that is how the guarantees of `SecondFactorStore.consumeChallenge`
 * and `rotateChallenge` (the contract, store.ts) hold here.
 */

import { timingSafeEqual } from '@secondfactor/core';
import type { ChallengeRecord, ConsumeChallengeResult } from '../../records';
import type { ConsumeChallengeOptions, RotateChallengeOptions } from '../../store-types';
import { conflict, type MemoryCore } from '../core';
import { out } from '../state';

/** The challenge, only if it belongs to `userId`. */
export function ownChallenge(
  core: MemoryCore,
  userId: string,
  challengeId: string,
): ChallengeRecord | undefined {
  const challenge = core.state.challenges.get(challengeId);
  return challenge?.userId === userId ? challenge : undefined;
}

export async function createChallenge(core: MemoryCore, challenge: ChallengeRecord): Promise<void> {
  await core.ready();
  if (core.state.challenges.has(challenge.id)) conflict('challenge.id');
  core.state.challenges.set(challenge.id, challenge);
  await core.persist();
}

export async function getChallenge(
  core: MemoryCore,
  userId: string,
  challengeId: string,
): Promise<ChallengeRecord | null> {
  await core.ready();
  const challenge = ownChallenge(core, userId, challengeId);
  return challenge === undefined ? null : out(challenge);
}

export async function consumeChallenge(
  core: MemoryCore,
  userId: string,
  challengeId: string,
  { digest, now }: ConsumeChallengeOptions,
): Promise<ConsumeChallengeResult> {
  await core.ready();
  // The outcomes in the contract's order (consumeChallenge).
  const challenge = ownChallenge(core, userId, challengeId);
  if (challenge === undefined) return 'not_found';
  if (challenge.consumedAt !== undefined) return 'consumed';
  if (now >= challenge.expiresAt) return 'expired';
  if (challenge.attempts >= challenge.maxAttempts) return 'locked';
  if (challenge.digest !== null && timingSafeEqual(challenge.digest, digest)) {
    challenge.consumedAt = now;
    await core.persist();
    return 'ok';
  }
  challenge.attempts += 1;
  await core.persist();
  return 'mismatch';
}

export async function rotateChallenge(
  core: MemoryCore,
  userId: string,
  challengeId: string,
  { digest, expiresAt, now }: RotateChallengeOptions,
): Promise<ChallengeRecord | null> {
  await core.ready();
  const challenge = ownChallenge(core, userId, challengeId);
  if (challenge === undefined || challenge.consumedAt !== undefined || now >= challenge.expiresAt)
    return null;
  // G6: the digest is overwritten in place; E4: `attempts` is not touched.
  challenge.digest = digest;
  challenge.expiresAt = expiresAt;
  challenge.deliveries += 1;
  const result = out(challenge);
  await core.persist();
  return result;
}

export async function deleteChallenge(
  core: MemoryCore,
  userId: string,
  challengeId: string,
): Promise<boolean> {
  await core.ready();
  if (ownChallenge(core, userId, challengeId) === undefined) return false;
  core.state.challenges.delete(challengeId);
  await core.persist();
  return true;
}
