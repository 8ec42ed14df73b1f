/**
 * @module
 * Memory-store primitives of a verification: `recordOtpUse` (the RFC 6238 §5.2 replay guard and the
 * success half) and `getCredentialForVerification` (the read half).
 */

import type { CheckedRecordOtpUseOptions } from '../../adapter/operations';
import { readFailureState } from '../../failures';
import type { CredentialForVerification, CredentialForVerificationOptions } from '../../store-types';
import type { MemoryCore } from '../core';
import { out } from '../state';
import { ownCredential } from './credentials';

export async function recordOtpUse(
  core: MemoryCore,
  userId: string,
  credentialId: string,
  { step, now, driftSteps, ifSecret, unlessLocked, clearFailures }: CheckedRecordOtpUseOptions,
): Promise<boolean> {
  await core.ready();
  // The conditions and writes of `SecondFactorStore.recordOtpUse` (the contract, store.ts), in its order.
  // From here to the write there is no `await`: the checks and the write are one step.
  const credential = ownCredential(core, userId, credentialId);
  if (credential === undefined) return false;
  // RFC 6238 §5.2 / RFC 4226 §7.2: the replay guard.
  if (credential.lastUsedStep !== undefined && step <= credential.lastUsedStep) return false;
  if (ifSecret !== undefined && credential.otp?.secretCiphertext !== ifSecret) return false;
  // E1: a lock read exactly as getFailures reads it.
  const failures = core.state.failures;
  if (unlessLocked.some((key) => readFailureState(failures.get(key) ?? null, now).lockedUntil !== null)) {
    return false;
  }
  credential.lastUsedStep = step;
  credential.lastUsedAt = now;
  if (driftSteps !== undefined) credential.driftSteps = driftSteps;
  // E6: cleared here, in the step that records, as clearFailures(key) would.
  for (const key of clearFailures) failures.delete(key);
  await core.persist();
  return true;
}

export async function getCredentialForVerification(
  core: MemoryCore,
  userId: string,
  credentialId: string,
  { now, failureKeys: keys }: CredentialForVerificationOptions,
): Promise<CredentialForVerification> {
  await core.ready();
  const credential = ownCredential(core, userId, credentialId);
  return {
    credential: credential === undefined ? null : out(credential),
    failures: keys.map((key) => readFailureState(core.state.failures.get(key) ?? null, now)),
  };
}
