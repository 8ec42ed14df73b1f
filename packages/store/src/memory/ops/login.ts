/**
 * @module
 * The memory store's `completeLogin`: every condition of `SecondFactorStore.completeLogin` (the
 * contract, store.ts) decided, then every write done, with no `await` in between, so the step is one.
 */

import type { CheckedCompleteLoginOptions } from '../../adapter/operations';
import { readFailureState } from '../../failures';
import type { CompleteLoginResult } from '../../store-types';
import { conflict, type MemoryCore } from '../core';
import { ownChallenge } from './challenges';
import { ownCredential } from './credentials';

const REFUSED: CompleteLoginResult = { status: 'refused' };

export async function completeLogin(
  core: MemoryCore,
  userId: string,
  challengeId: string,
  { now, otp, backupCodeDigest, unlessLocked, clearFailures, audit }: CheckedCompleteLoginOptions,
): Promise<CompleteLoginResult> {
  await core.ready();
  const { state } = core;
  // I3: an open login challenge of this user, used at most once.
  const challenge = ownChallenge(core, userId, challengeId);
  if (
    challenge?.kind !== 'login' ||
    challenge.consumedAt !== undefined ||
    now >= challenge.expiresAt ||
    challenge.attempts >= challenge.maxAttempts
  ) {
    return REFUSED;
  }
  // D1/D2: the decision of recordOtpUse for this credential and step.
  const credential = otp === undefined ? undefined : ownCredential(core, userId, otp.credentialId);
  if (otp !== undefined) {
    if (credential === undefined) return REFUSED;
    if (credential.lastUsedStep !== undefined && otp.step <= credential.lastUsedStep) return REFUSED;
    if (otp.ifSecret !== undefined && credential.otp?.secretCiphertext !== otp.ifSecret) return REFUSED;
  }
  // F3: an unused code of the user's current set.
  const codes = backupCodeDigest === undefined ? undefined : state.backupCodes.get(userId)?.digests;
  if (backupCodeDigest !== undefined && codes?.has(backupCodeDigest) !== true) return REFUSED;
  // E1: a lock read exactly as getFailures reads it.
  if (
    unlessLocked.some((key) => readFailureState(state.failures.get(key) ?? null, now).lockedUntil !== null)
  ) {
    return REFUSED;
  }
  // The log is append-only: a known id refuses the whole step, before anything is written.
  if (audit !== undefined && state.auditIds.has(audit.id)) conflict('options.audit.id');

  challenge.consumedAt = now;
  if (otp !== undefined && credential !== undefined) {
    credential.lastUsedStep = otp.step;
    credential.lastUsedAt = now;
    if (otp.driftSteps !== undefined) credential.driftSteps = otp.driftSteps;
  }
  if (backupCodeDigest !== undefined) codes?.delete(backupCodeDigest);
  // E6: only the counters of the factor used, only on success.
  for (const key of clearFailures) state.failures.delete(key);
  if (audit !== undefined) {
    state.audit.push(audit);
    state.auditIds.add(audit.id);
  }
  const result: CompleteLoginResult = { status: 'ok', sessionEpoch: state.epochs.get(userId) ?? 0 };
  if (codes !== undefined) result.backupCodesRemaining = codes.size;
  await core.persist();
  return result;
}
