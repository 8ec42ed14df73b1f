/**
 * @module
 * Memory-store primitives for pending enrollments and their confirmation into a credential. Each
 * check-and-write runs without an `await` in between: that is how the guarantees of
 * `SecondFactorStore.confirmEnrollment` and its neighbours (the contract, store.ts) hold here.
 */

import type { CheckedConfirmEnrollmentOptions } from '../../adapter/operations';
import type { CredentialRecord, PendingEnrollmentRecord } from '../../records';
import type { ConfirmEnrollmentResult, NowOptions } from '../../store-types';
import { conflict, type MemoryCore } from '../core';
import { out } from '../state';
import { ownCredential } from './credentials';

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
