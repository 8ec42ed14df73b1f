/**
 * @module
 * Where the 2FA state lives in a Koa request's session: `koa-session` out of the box (one key of
 * `ctx.session`, a new id through its `regenerate()` that keeps the host's other keys), any other session
 * through {@link SessionBinding}.
 */
import { SecondFactorError } from '@secondfactor/core';
import type { SessionBinding as HttpSessionBinding } from '@secondfactor/http';
import type { Context } from 'koa';

/**
 * A session other than `koa-session` (e.g. one keyed by a JWT or a host's own store): two callbacks,
 * read and write, and optionally the session's handle, over Koa's `ctx` (`SessionBinding` of
 * `@secondfactor/http`). The default binding gives koa-session's `externalKey` (with an external store)
 * as the handle: safe only with signed cookies, koa-session's default, where the key alone is not a valid
 * cookie; with `signed: false` the cookie is the key itself. A binding of your own must give a handle that
 * alone never makes a valid cookie.
 *
 * @example
 * ```ts
 * import type { SessionBinding } from '@secondfactor/koa';
 *
 * const session: SessionBinding = {
 *   read: (ctx) => ctx.state.mySession.get('secondFactor'),
 *   write: async (ctx, state, { regenerate }) => {
 *     if (regenerate) await ctx.state.mySession.rotate(); // a new id, the host's data kept (I4)
 *     ctx.state.mySession.set('secondFactor', state);
 *   },
 *   id: (ctx) => ctx.state.mySession.handle,
 * };
 * ```
 */
export type SessionBinding = HttpSessionBinding<Context>;

/** The part of a `koa-session` session this adapter uses (`regenerate` since koa-session 6.4). */
interface KoaSessionLike {
  [key: string]: unknown;
  regenerate(): Promise<void> | undefined;
  /** Only with an external store. */
  readonly externalKey?: string | undefined;
}

/**
 * The key of the 2FA state in `ctx.session` (koa-session).
 *
 * @example
 * ```ts
 * import { SESSION_KEY } from '@secondfactor/koa';
 *
 * const signedIn = ctx.session?.[SESSION_KEY]?.signedIn !== null;
 * ```
 */
export const SESSION_KEY = 'secondFactor';

const sessionIn = (ctx: Context): Partial<KoaSessionLike> | null | undefined =>
  (ctx as unknown as { session?: Partial<KoaSessionLike> | null }).session;

function sessionOf(ctx: Context): KoaSessionLike {
  const session = sessionIn(ctx);
  if (typeof session !== 'object' || session === null || typeof session.regenerate !== 'function') {
    throw new SecondFactorError(
      'internal',
      'ctx.session is missing or has no regenerate(): mount koa-session 6.4 or newer before the secondFactor middleware, or pass options.session',
    );
  }
  return session as KoaSessionLike;
}

/** `koa-session`: the state under `ctx.session.secondFactor`. @internal */
export const koaSession: SessionBinding = {
  read: (ctx) => sessionIn(ctx)?.[SESSION_KEY],
  write: async (ctx, state, { regenerate }) => {
    const session = sessionOf(ctx);
    // koa-session destroys the old id (its store entry, or the cookie) and saves the same data, the
    // host's keys included, under a new one.
    if (regenerate) await session.regenerate();
    if (state === undefined) delete session[SESSION_KEY];
    else session[SESSION_KEY] = state;
  },
  id: (ctx) => sessionIn(ctx)?.externalKey,
};
