/**
 * @module
 * The challenge that holds a delivered code: created with the first send, rotated by a resend (the old
 * code stops working and the attempts stay, checklist G6, E4), checked once by the store's
 * `consumeChallenge` (single use, G3).
 */
import { isSecondFactorError } from '@secondfactor/core';
import type { ChallengePurpose, ChallengeRecord } from '@secondfactor/store';
import type { ServiceContext } from '../options';
import { codeDigest, type OobMethod } from './codes';
import type { PreparedCode } from './deliver';

/** Which challenge a code goes into. @internal */
export interface CodeChallengeRef {
  userId: string;
  tenantId?: string | undefined;
  challengeId: string;
  method: OobMethod;
  purpose: ChallengePurpose;
  /** The latest expiry the code may have (the enrollment's or the login's). */
  notAfter: number;
  data?: Readonly<Record<string, string | number | boolean>> | undefined;
}

/**
 * Stores the digest of `prepared` as the challenge's code: a new challenge when there is none, a resend
 * of the existing one otherwise. A challenge whose code expired is started again (the login or
 * enrollment around it still caps the attempts); one already consumed resolves `null`. @internal
 */
export async function storeCode(
  ctx: ServiceContext,
  ref: CodeChallengeRef,
  existing: ChallengeRecord | null,
  prepared: PreparedCode,
  now: number,
): Promise<{ expiresAt: number } | null> {
  const binding = { userId: ref.userId, challengeId: ref.challengeId, purpose: ref.purpose };
  const digest = codeDigest(ctx, binding, prepared.code);
  const expiresAt = Math.min(now + prepared.ttlSeconds * 1000, ref.notAfter);
  if (existing !== null) {
    if (existing.consumedAt !== undefined) return null;
    const rotated = await ctx.store.rotateChallenge(ref.userId, ref.challengeId, { digest, expiresAt, now });
    if (rotated !== null) return { expiresAt };
    const again = await ctx.store.getChallenge(ref.userId, ref.challengeId);
    if (again === null || again.consumedAt !== undefined) return null;
    await ctx.store.deleteChallenge(ref.userId, ref.challengeId);
  }
  try {
    await ctx.store.createChallenge({
      id: ref.challengeId,
      userId: ref.userId,
      ...(ref.tenantId === undefined ? {} : { tenantId: ref.tenantId }),
      kind: ref.method,
      purpose: ref.purpose,
      digest,
      createdAt: now,
      expiresAt,
      maxAttempts: prepared.maxAttempts,
      ...(ref.data === undefined ? {} : { data: ref.data }),
    });
  } catch (error) {
    // A concurrent first send created it: this one is the resend.
    if (!(isSecondFactorError(error) && error.code === 'conflict')) throw error;
    const rotated = await ctx.store.rotateChallenge(ref.userId, ref.challengeId, { digest, expiresAt, now });
    if (rotated === null) return null;
  }
  return { expiresAt };
}

/** Checks a typed code against the challenge, once (G3); the store counts a wrong one. @internal */
export function consumeCode(
  ctx: ServiceContext,
  ref: Pick<CodeChallengeRef, 'userId' | 'challengeId' | 'purpose'>,
  code: string,
  now: number,
): ReturnType<ServiceContext['store']['consumeChallenge']> {
  const digest = codeDigest(ctx, ref, code);
  return ctx.store.consumeChallenge(ref.userId, ref.challengeId, { digest, now });
}

/** The typed code without spaces (users copy "493 021"); `null` when it cannot be a code. @internal */
export function normalizeCode(code: string): string | null {
  const compact = code.replace(/[\s-]/g, '');
  return /^[0-9]{3,10}$/.test(compact) ? compact : null;
}
