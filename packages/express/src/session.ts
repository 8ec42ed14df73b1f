/**
 * @module
 * Where the 2FA state lives in an Express request's session: `express-session` out of the box (one key
 * of `req.session`, a regenerated id that keeps the host's other keys), any other session through
 * {@link SessionBinding}.
 */
import { SecondFactorError } from '@secondfactor/core';
import type { SessionBinding as HttpSessionBinding } from '@secondfactor/http';
import type { Request } from 'express';

/**
 * A session other than `express-session` (e.g. one keyed by a JWT or a host's own store): two callbacks,
 * read and write, and optionally the session's handle, over Express's `req` (`SessionBinding` of
 * `@secondfactor/http`). The default binding gives express-session's `req.sessionID` as the handle: safe
 * because express-session signs its cookie, so the id alone is not a valid cookie; a binding of your own
 * must give a handle with the same property.
 *
 * @example
 * ```ts
 * import type { SessionBinding } from '@secondfactor/express';
 *
 * const session: SessionBinding = {
 *   read: (req) => req.mySession.get('secondFactor'),
 *   write: async (req, state, { regenerate }) => {
 *     if (regenerate) await req.mySession.rotate(); // a new id, the host's data kept (I4)
 *     req.mySession.set('secondFactor', state);
 *   },
 *   id: (req) => req.mySession.handle,
 * };
 * ```
 */
export type SessionBinding = HttpSessionBinding<Request>;

/** The part of an `express-session` session this adapter uses. */
interface ExpressSessionLike {
  [key: string]: unknown;
  regenerate(callback: (error?: unknown) => void): unknown;
}

/**
 * The key of the 2FA state in `req.session` (express-session).
 *
 * @example
 * ```ts
 * import { SESSION_KEY } from '@secondfactor/express';
 *
 * const signedIn = req.session[SESSION_KEY]?.signedIn !== null;
 * ```
 */
export const SESSION_KEY = 'secondFactor';

function sessionOf(req: Request): ExpressSessionLike {
  const session = (req as unknown as { session?: ExpressSessionLike }).session;
  if (typeof session !== 'object' || session === null || typeof session.regenerate !== 'function') {
    throw new SecondFactorError(
      'internal',
      'req.session is missing: mount express-session before the secondFactor router, or pass options.session',
    );
  }
  return session;
}

/** `express-session`: the state under `req.session.secondFactor`. @internal */
export const expressSession: SessionBinding = {
  read: (req) => (req as unknown as { session?: Record<string, unknown> }).session?.[SESSION_KEY],
  write: async (req, state, { regenerate }) => {
    if (regenerate) {
      const old = sessionOf(req);
      // The host's own keys (its signed-in user) survive the new id; only the id and cookie change.
      const kept = Object.fromEntries(
        Object.entries(old).filter(([key, value]) => key !== 'cookie' && typeof value !== 'function'),
      );
      await new Promise<void>((resolve, reject) => {
        old.regenerate((error) => (error === undefined || error === null ? resolve() : reject(error)));
      });
      Object.assign(sessionOf(req), kept);
    }
    const session = sessionOf(req);
    if (state === undefined) delete session[SESSION_KEY];
    else session[SESSION_KEY] = state;
  },
  id: (req) => (req as { sessionID?: string }).sessionID,
};
