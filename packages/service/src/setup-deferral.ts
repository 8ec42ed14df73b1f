/**
 * @module
 * Putting the first-login set-up off while a grace period runs ("Set up later"): the pending login that
 * asked for the set-up completes without a second factor, once, and only before the grace ends. The
 * login's own record says whether it may be put off and until when (set by `startLogin` from the
 * policy's answer), so a request cannot claim a grace the policy did not give.
 */
import { invalidArgument, loginExpired } from './errors';
import { makeEvent, notify } from './events';
import { checkOptionsObject } from './input';
import type { ServiceContext } from './options';
import { openLogin, parseLoginId } from './pending-login';

/**
 * What `deferSetup` takes: the `loginId` of a `startLogin` that answered `enroll` with `deferrable`.
 *
 * @example
 * ```ts
 * import type { DeferSetupInput } from '@secondfactor/service';
 *
 * const input: DeferSetupInput = { loginId: session.pendingLogin };
 * ```
 */
export interface DeferSetupInput {
  loginId: string;
}

/**
 * The login, completed without a second factor: keep `sessionEpoch` in the session like any login's, and
 * ask for the set-up again at the next login.
 *
 * @example
 * ```ts
 * import type { SetupDeferred } from '@secondfactor/service';
 *
 * const deferred: SetupDeferred = await twoFactor.deferSetup({ loginId });
 * session.sessionEpoch = deferred.sessionEpoch;
 * ```
 */
export interface SetupDeferred {
  userId: string;
  /** The user's session epoch: the session counts as signed in while it is current. */
  sessionEpoch: number;
  /** Whole seconds of the grace period left. */
  graceRemainingSeconds: number;
}

/** @internal See `TwoFactor.deferSetup`. */
export async function deferSetup(ctx: ServiceContext, input: DeferSetupInput): Promise<SetupDeferred> {
  const { loginId } = checkOptionsObject('input', input, ['loginId']);
  if (input === undefined) throw invalidArgument('input', 'must be an object');
  if (typeof loginId !== 'string') throw invalidArgument('input.loginId', 'must be a string');
  const ref = parseLoginId(loginId);
  const now = ctx.now();
  const { challenge, offer } = await openLogin(ctx.store, ref, now);
  // Only a set-up the policy let be put off, and only while its grace runs: otherwise the one answer
  // for a login that cannot go on.
  const endsAt = offer.graceEndsAt;
  if (offer.state !== 'enroll' || endsAt === undefined || !(now < endsAt)) throw loginExpired();
  const graceRemainingSeconds = Math.ceil((endsAt - now) / 1000);
  const scope = { userId: ref.userId, tenantId: challenge.tenantId };
  const event = makeEvent(ctx, scope, 'setup.deferred', now, { graceRemainingSeconds });
  const done = await ctx.store.completeLogin(ref.userId, ref.challengeId, { now, audit: event });
  if (done.status !== 'ok') throw loginExpired();
  await notify(ctx, event);
  return { userId: ref.userId, sessionEpoch: done.sessionEpoch, graceRemainingSeconds };
}
