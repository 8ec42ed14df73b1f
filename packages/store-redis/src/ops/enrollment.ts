/**
 * @module
 * Pending enrollments: created server-side, read back for their user until they expire on the injected
 * clock, and confirmed into a credential exactly once (checklist H1–H4).
 */
import type { ConfirmEnrollmentResult, NowOptions, PendingEnrollmentRecord } from '@secondfactor/store';
import type { CheckedConfirmEnrollmentOptions } from '@secondfactor/store/adapter';
import { credentialJson, decodeCredential, decodePending, type Field, optional } from '../codec';
import { keyPart } from '../key-part';
import { conflict, type OpContext } from './context';

/** Stores a pending enrollment; `conflict` if its id is taken by a pending enrollment or a credential. */
export async function createPendingEnrollment(
  ctx: OpContext,
  pending: PendingEnrollmentRecord,
): Promise<void> {
  const created = await ctx.run('createPendingEnrollment', [
    keyPart(pending.id),
    keyPart(pending.userId),
    credentialJson(pending),
    pending.kind,
    optional(pending.otp?.secretCiphertext),
    String(pending.createdAt),
    String(pending.expiresAt),
    ctx.retainMs,
  ]);
  if (created !== 1) throw conflict('pending.id');
}

/** The pending enrollment of `userId`, unless it expired at `now`. */
export async function getPendingEnrollment(
  ctx: OpContext,
  userId: string,
  pendingId: string,
  { now }: NowOptions,
): Promise<PendingEnrollmentRecord | null> {
  const fields = (await ctx.run('getPendingEnrollment', [keyPart(userId), keyPart(pendingId)])) as
    | Field[]
    | null;
  if (fields === null) return null;
  const pending = decodePending(fields);
  // H2: expiry is decided on the injected clock; the TTL only removes the record later.
  return now >= pending.expiresAt ? null : pending;
}

/** Pending → credential with the same id, removing the replaced credentials, in one script. */
export async function confirmEnrollment(
  ctx: OpContext,
  userId: string,
  pendingId: string,
  { now, lastUsedStep, replaces }: CheckedConfirmEnrollmentOptions,
): Promise<ConfirmEnrollmentResult> {
  const args = [keyPart(userId), keyPart(pendingId), String(now), optional(lastUsedStep)];
  for (const id of replaces) args.push(keyPart(id));
  const [status, fields] = (await ctx.run('confirmEnrollment', args)) as [string, Field[] | undefined];
  if (status === 'ok' && fields !== undefined) return { status: 'ok', credential: decodeCredential(fields) };
  if (status === 'conflict') throw conflict('credential.id');
  return { status: status === 'expired' ? 'expired' : 'not_found' };
}

/** Removes the pending enrollment of `userId`; false if there was none. */
export async function deletePendingEnrollment(
  ctx: OpContext,
  userId: string,
  pendingId: string,
): Promise<boolean> {
  return (await ctx.run('deletePendingEnrollment', [keyPart(userId), keyPart(pendingId)])) === 1;
}
