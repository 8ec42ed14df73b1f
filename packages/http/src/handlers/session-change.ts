/**
 * @module
 * What a change of the user's own 2FA needs from the session: the session's handle, for the service to
 * keep this session when it signs the others out, and the new epoch it answers, kept so this session
 * stays signed in (I5).
 */
import type { SessionChange } from '@secondfactor/service';
import type { RouteContext } from '../route';

/** `{ sessionId }` of the request's session, when the adapter has a handle for it. @internal */
export function sessionOptions(ctx: RouteContext<unknown>): { sessionId?: string } {
  const sessionId = ctx.request.session.id();
  return sessionId === undefined ? {} : { sessionId };
}

/** Keeps the epoch a change of the actor's own 2FA answered, so this session stays signed in. @internal */
export async function keepEpoch(ctx: RouteContext<unknown>, change: SessionChange): Promise<void> {
  const { signedIn } = ctx.state;
  if (change.sessionEpoch === null || signedIn === null) return;
  await ctx.save({ ...ctx.state, signedIn: { ...signedIn, sessionEpoch: change.sessionEpoch } });
}
