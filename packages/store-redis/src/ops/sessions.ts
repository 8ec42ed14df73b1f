/**
 * @module
 * Session epochs (see `SecondFactorStore.getSessionEpoch` and `bumpSessionEpoch`): one counter per user,
 * `P{u:<user>}:epoch`, in the user's slot, without TTL, which only `bumpSessionEpoch` writes.
 */
import { keyPart } from '../key-part';
import type { OpContext } from './context';

/** The user's session epoch, 0 when never bumped. */
export async function getSessionEpoch(ctx: OpContext, userId: string): Promise<number> {
  return Number(await ctx.run('getSessionEpoch', [ctx.key.user(keyPart(userId))], []));
}

/** Increments the user's session epoch in one script (INCR) and resolves the new value. */
export async function bumpSessionEpoch(ctx: OpContext, userId: string): Promise<number> {
  return Number(await ctx.run('bumpSessionEpoch', [ctx.key.user(keyPart(userId))], []));
}
