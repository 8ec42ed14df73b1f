/**
 * @module
 * Pending enrollments: created server-side, read back for their user until they expire on the injected
 * clock, and confirmed into a credential exactly once (checklist H1–H4). A pending enrollment and the
 * credential it becomes share one id claim (`id-claims.ts`): with the pending's TTL, permanent once confirmed.
 */
import type { ConfirmEnrollmentResult, NowOptions, PendingEnrollmentRecord } from '@secondfactor/store';
import type { CheckedConfirmEnrollmentOptions } from '@secondfactor/store/adapter';
import { credentialJson, decodeCredential, decodePending, type Field, optional } from '../codec';
import { keyPart } from '../key-part';
import { conflict, LEASE_MS, lifeMs, type OpContext, withRoot } from './context';
import { indexCredential, releaseCredentials, tagOf } from './credentials';
import { claimId, releaseIds } from './id-claims';

/** Stores a pending enrollment; `conflict` if its id is taken by a pending enrollment or a credential. */
export async function createPendingEnrollment(
  ctx: OpContext,
  pending: PendingEnrollmentRecord,
): Promise<void> {
  const [id, user] = [keyPart(pending.id), keyPart(pending.userId)];
  if (ctx.cluster) {
    // The claim outlives the record by the lease: it is written a moment before it.
    const life = lifeMs(pending.expiresAt, pending.createdAt, ctx.retainMs) + LEASE_MS;
    await claimId(ctx, 'cred', id, user, 'pending.id', life);
  }
  const created = await ctx.run('createPendingEnrollment', withRoot(ctx, ctx.key.user(user)), [
    id,
    user,
    credentialJson(pending),
    pending.kind,
    optional(pending.otp?.secretCiphertext),
    String(pending.createdAt),
    String(pending.expiresAt),
    String(ctx.retainMs),
    tagOf(pending),
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
  const pending = await readPending(ctx, keyPart(userId), keyPart(pendingId));
  // H2: expiry is decided on the injected clock; the TTL only removes the record later.
  return pending === null || now >= pending.expiresAt ? null : pending;
}

async function readPending(
  ctx: OpContext,
  user: string,
  id: string,
): Promise<PendingEnrollmentRecord | null> {
  const fields = (await ctx.run('getPendingEnrollment', [ctx.key.user(user)], [id])) as Field[] | null;
  return fields === null ? null : decodePending(fields);
}

/**
 * Pending → credential with the same id, removing the replaced credentials, in one script. On a cluster
 * the claim is made permanent and the otp and address index entries added first, for a pending
 * enrollment that can still be confirmed (so a confirmation of an unknown id writes nothing anywhere),
 * and the replaced credentials' entries and claims are released after.
 */
export async function confirmEnrollment(
  ctx: OpContext,
  userId: string,
  pendingId: string,
  { now, lastUsedStep, replaces }: CheckedConfirmEnrollmentOptions,
): Promise<ConfirmEnrollmentResult> {
  const [user, id] = [keyPart(userId), keyPart(pendingId)];
  if (ctx.cluster) {
    const pending = await readPending(ctx, user, id);
    if (pending === null) return { status: 'not_found' };
    if (now >= pending.expiresAt) return { status: 'expired' };
    await claimId(ctx, 'cred', id, user, 'credential.id');
    await indexCredential(ctx, id, user, pending.otp !== undefined, tagOf(pending));
  }
  const args = [user, id, String(now), optional(lastUsedStep), ...replaces.map(keyPart)];
  const [status, fields, removed = [], tags = []] = (await ctx.run(
    'confirmEnrollment',
    withRoot(ctx, ctx.key.user(user)),
    args,
  )) as [string, Field[] | undefined, string[]?, string[]?];
  if (status === 'ok' && fields !== undefined) {
    if (ctx.cluster) {
      const released = removed.map((removedId, index) => ({ id: removedId, tag: tags[index] ?? '' }));
      await releaseCredentials(ctx, released, user);
    }
    return { status: 'ok', credential: decodeCredential(fields) };
  }
  if (status === 'conflict') throw conflict('credential.id');
  return { status: status === 'expired' ? 'expired' : 'not_found' };
}

/** Removes the pending enrollment of `userId`; false if there was none. */
export async function deletePendingEnrollment(
  ctx: OpContext,
  userId: string,
  pendingId: string,
): Promise<boolean> {
  const [user, id] = [keyPart(userId), keyPart(pendingId)];
  const removed =
    (await ctx.run('deletePendingEnrollment', withRoot(ctx, ctx.key.user(user)), [user, id])) === 1;
  if (removed && ctx.cluster) await releaseIds(ctx, 'cred', [id], user);
  return removed;
}
