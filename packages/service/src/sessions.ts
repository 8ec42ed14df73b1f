/**
 * @module
 * Signing a user's other sessions out without the host's help (checklist I5, H9). The store keeps a
 * per-user session epoch; a session keeps the epoch its second factor passed under, and stops counting
 * as verified once the stored one is greater. A change that revokes bumps the epoch before it (so no
 * session verified earlier outlives it, even if the change fails half-way or the process dies) and
 * again after it (so a login that completed while the change ran does not outlive it either), and
 * records the revocation. Once the change has done all its work and written its own audit record,
 * `announce` tells the host's `sessions.revokeOthers`, so a host that lists its sessions deletes them
 * too; a hook that fails then fails the call without leaving the change half-done or unaudited.
 */
import { assertId } from '@secondfactor/store';
import { invalidArgument } from './errors';
import { type EventScope, emit } from './events';
import { checkOptionsObject } from './input';
import type { ServiceContext } from './options';

/**
 * Options of a change that may sign the user's other sessions out.
 *
 * @example
 * ```ts
 * import type { SessionChangeOptions } from '@secondfactor/service';
 *
 * const options: SessionChangeOptions = { sessionId: session.id };
 * const change = await twoFactor.setUseTwoFactor(actor, actor, false, options);
 * ```
 */
export interface SessionChangeOptions {
  /**
   * The host's id of the session the request came from, passed to `sessions.revokeOthers` as the one
   * to keep when the actor changes his own 2FA.
   */
  sessionId?: string | undefined;
}

/**
 * What a change did to the user's sessions. `sessionEpoch` is the user's new epoch when the change
 * signed his other sessions out (the policy's `sessions` settings), `null` when it did not. When the
 * actor changed his own 2FA, keep it in his session: the request's own session stays verified, every
 * other one is not.
 *
 * @example
 * ```ts
 * import type { SessionChange } from '@secondfactor/service';
 *
 * const change: SessionChange = await twoFactor.resetOwn({ ...actor, secondFactor: session.secondFactor }, { sessionId: session.id });
 * if (change.sessionEpoch !== null) session.sessionEpoch = change.sessionEpoch;
 * ```
 */
export interface SessionChange {
  sessionEpoch: number | null;
}

/** Checks the options of a change. @internal */
export function checkChangeOptions(options: unknown): SessionChangeOptions {
  const { sessionId } = checkOptionsObject('options', options, ['sessionId']);
  if (sessionId !== undefined) assertId('options.sessionId', sessionId);
  return sessionId === undefined ? {} : { sessionId };
}

/** Why sessions were revoked, as the `sessions.revoked` event says. @internal */
export type RevocationCause = 'enabled' | 'disabled' | 'reset' | 'device_removed';

/** What {@link withRevocation} did, and the step left for the caller's end. @internal */
export interface Revocation<T> {
  result: T;
  change: SessionChange;
  /** Calls the host's hook; the caller's last step. */
  announce(): Promise<void>;
}

/** How far one revoking change moves the user's epoch: once before it, once after it. @internal */
export const EPOCH_STEPS_PER_REVOCATION = 2;

/** Runs `change`, bumping the user's epoch around it when `revoke` is set. @internal */
export async function withRevocation<T>(
  ctx: ServiceContext,
  scope: EventScope,
  revoke: boolean,
  cause: RevocationCause,
  sessionId: string | undefined,
  change: () => Promise<T>,
): Promise<Revocation<T>> {
  if (!revoke) return { result: await change(), change: { sessionEpoch: null }, announce: async () => {} };
  ctx.epochs.set(scope.userId, await ctx.store.bumpSessionEpoch(scope.userId), ctx.now());
  const result = await change();
  const sessionEpoch = await ctx.store.bumpSessionEpoch(scope.userId);
  // This process sees its own revocation at once, whatever the epoch cache's lifetime.
  ctx.epochs.set(scope.userId, sessionEpoch, ctx.now());
  await emit(ctx, scope, 'sessions.revoked', ctx.now(), { sessionEpoch, cause });
  return {
    result,
    change: { sessionEpoch },
    announce: async () => {
      // The actor's own session is kept only when he changed his own 2FA.
      const keep = scope.actorId === scope.userId ? sessionId : undefined;
      await ctx.sessions?.revokeOthers(scope.userId, keep);
    },
  };
}

/**
 * Whether a session verified under `sessionEpoch` still counts as verified for `userId`. @internal
 */
export async function isSessionCurrent(
  ctx: ServiceContext,
  userId: unknown,
  sessionEpoch: unknown,
): Promise<boolean> {
  assertId('userId', userId);
  if (typeof sessionEpoch !== 'number' || !Number.isSafeInteger(sessionEpoch) || sessionEpoch < 0) {
    throw invalidArgument('sessionEpoch', 'must be a whole number, at least 0');
  }
  const now = ctx.now();
  let current = ctx.epochs.get(userId, now);
  if (current === undefined) {
    current = await ctx.store.getSessionEpoch(userId);
    ctx.epochs.set(userId, current, now);
  }
  return sessionEpoch >= current;
}
