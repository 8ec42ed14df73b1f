/**
 * @module
 * Memory-store primitives for pending enrollments, backup codes and challenges: each check-and-write
 * runs without an `await` in between, so exactly one concurrent caller wins. Arguments arrive checked
 * (and records copied) by `CheckedStore`.
 */

import { timingSafeEqual } from '@secondfactor/core';
import type { CheckedBackupCodeSet, CheckedConfirmEnrollmentOptions } from './adapter/operations';
import { conflict, type MemoryCore } from './memory-core';
import { out } from './memory-state';
import { ownCredential } from './memory-users';
import type {
  BackupCodeSet,
  ChallengeRecord,
  ConsumeChallengeResult,
  CredentialRecord,
  PendingEnrollmentRecord,
} from './records';
import type {
  ConfirmEnrollmentResult,
  ConsumeBackupCodeResult,
  ConsumeChallengeOptions,
  NowOptions,
  RotateChallengeOptions,
} from './store-types';

// --- enrollment ----------------------------------------------------------------------------------

export async function createPendingEnrollment(
  core: MemoryCore,
  pending: PendingEnrollmentRecord,
): Promise<void> {
  await core.ready();
  // The id becomes the credential's id on confirmation, so it must be free in both places.
  if (core.state.pending.has(pending.id) || core.state.credentials.has(pending.id)) conflict('pending.id');
  core.state.pending.set(pending.id, pending);
  await core.persist();
}

export async function getPendingEnrollment(
  core: MemoryCore,
  userId: string,
  pendingId: string,
  { now }: NowOptions,
): Promise<PendingEnrollmentRecord | null> {
  await core.ready();
  const pending = core.state.pending.get(pendingId);
  if (pending?.userId !== userId || now >= pending.expiresAt) return null;
  return out(pending);
}

export async function confirmEnrollment(
  core: MemoryCore,
  userId: string,
  pendingId: string,
  { now, lastUsedStep, replaces: replaced }: CheckedConfirmEnrollmentOptions,
): Promise<ConfirmEnrollmentResult> {
  await core.ready();
  const pending = core.state.pending.get(pendingId);
  if (pending?.userId !== userId) return { status: 'not_found' };
  if (now >= pending.expiresAt) return { status: 'expired' };
  if (core.state.credentials.has(pendingId)) conflict('credential.id');
  const credential: CredentialRecord = { ...out(pending), createdAt: now };
  delete (credential as Partial<PendingEnrollmentRecord>).expiresAt;
  if (lastUsedStep !== undefined) {
    credential.lastUsedStep = lastUsedStep;
    credential.lastUsedAt = now;
  }
  core.state.pending.delete(pendingId);
  for (const id of replaced)
    if (ownCredential(core, userId, id) !== undefined) core.state.credentials.delete(id);
  core.state.credentials.set(credential.id, credential);
  const result: ConfirmEnrollmentResult = { status: 'ok', credential: out(credential) };
  await core.persist();
  return result;
}

export async function deletePendingEnrollment(
  core: MemoryCore,
  userId: string,
  pendingId: string,
): Promise<boolean> {
  await core.ready();
  if (core.state.pending.get(pendingId)?.userId !== userId) return false;
  core.state.pending.delete(pendingId);
  await core.persist();
  return true;
}

// --- backup codes --------------------------------------------------------------------------------

export async function replaceBackupCodes(
  core: MemoryCore,
  userId: string,
  { digests, salt, now, onlyIfNone }: CheckedBackupCodeSet,
): Promise<boolean> {
  const next = {
    userId,
    createdAt: now,
    digests: new Set(digests),
    ...(salt === undefined ? {} : { salt }),
  };
  await core.ready();
  // The check and the write below run with no await between them, so of concurrent `onlyIfNone` calls
  // exactly one finds no set. "A set" is any record, even fully used: what getBackupCodeSet reports.
  if (onlyIfNone && core.state.backupCodes.has(userId)) return false;
  // F4: one assignment, so no code of the old set is accepted once this resolves.
  core.state.backupCodes.set(userId, next);
  await core.persist();
  return true;
}

export async function getBackupCodeSet(core: MemoryCore, userId: string): Promise<BackupCodeSet | null> {
  await core.ready();
  const set = core.state.backupCodes.get(userId);
  if (set === undefined) return null;
  const result: BackupCodeSet = { remaining: set.digests.size, createdAt: set.createdAt };
  if (set.salt !== undefined) result.salt = set.salt;
  return result;
}

export async function consumeBackupCode(
  core: MemoryCore,
  userId: string,
  digest: string,
): Promise<ConsumeBackupCodeResult> {
  await core.ready();
  const set = core.state.backupCodes.get(userId);
  if (set === undefined) return { consumed: false, remaining: 0 };
  // Set lookup of a keyed digest: the digest, not the code, is what an attacker could time.
  const consumed = set.digests.delete(digest);
  // The answer is taken before the write is awaited: later calls may change the set meanwhile.
  const result = { consumed, remaining: set.digests.size };
  if (consumed) await core.persist();
  return result;
}

// --- challenges ----------------------------------------------------------------------------------

function ownChallenge(core: MemoryCore, userId: string, challengeId: string): ChallengeRecord | undefined {
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
  const challenge = ownChallenge(core, userId, challengeId);
  if (challenge === undefined) return 'not_found';
  if (challenge.consumedAt !== undefined) return 'consumed';
  if (now >= challenge.expiresAt) return 'expired';
  // A locked challenge answers `locked` even to the right code: no oracle after the limit.
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
  // G6: the old digest is gone in the same step; E4: attempts are kept.
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
