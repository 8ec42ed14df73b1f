/**
 * @module
 * Backup-code sets: replaced whole, consumed once per code (checklist F3, F4, D4), all in the user's slot.
 */
import type { BackupCodeSet, ConsumeBackupCodeResult } from '@secondfactor/store';
import type { CheckedBackupCodeSet } from '@secondfactor/store/adapter';
import type { Field } from '../codec';
import { keyPart } from '../key-part';
import type { OpContext } from './context';

/** Replaces the user's whole set in one script; with `onlyIfNone`, only if the same script finds no set. */
export async function replaceBackupCodes(
  ctx: OpContext,
  userId: string,
  { digests, salt, now, onlyIfNone }: CheckedBackupCodeSet,
): Promise<boolean> {
  const written = await ctx.run(
    'replaceBackupCodes',
    [ctx.key.user(keyPart(userId))],
    [String(now), salt ?? '', onlyIfNone ? '1' : '0', ...digests],
  );
  return written === 1;
}

/** The set's salt, creation time and codes left, or null. */
export async function getBackupCodeSet(ctx: OpContext, userId: string): Promise<BackupCodeSet | null> {
  const [createdAt, salt, remaining] = (await ctx.run(
    'getBackupCodeSet',
    [ctx.key.user(keyPart(userId))],
    [],
  )) as [Field, Field, number];
  if (createdAt === null) return null;
  const set: BackupCodeSet = { remaining, createdAt: Number(createdAt) };
  if (salt !== null) set.salt = salt;
  return set;
}

/** Consumes the code with this digest: `consumed` is true for exactly one caller. */
export async function consumeBackupCode(
  ctx: OpContext,
  userId: string,
  digest: string,
): Promise<ConsumeBackupCodeResult> {
  const [consumed, remaining] = (await ctx.run(
    'consumeBackupCode',
    [ctx.key.user(keyPart(userId))],
    [digest],
  )) as [number, number];
  return { consumed: consumed === 1, remaining };
}
