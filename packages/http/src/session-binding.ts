/**
 * @module
 * Where an adapter keeps the 2FA state in the host's session, typed once over the framework's request:
 * Express and Koa export {@link SessionBinding} for their own request, and each request's
 * {@link SessionAccess} is made from it here.
 */
import type { SessionAccess } from './request';
import type { SecondFactorSession } from './session-state';

/**
 * A host's session given to an adapter as two callbacks, read and write, and optionally the session's
 * handle; `@secondfactor/express` and `@secondfactor/koa` export it for their request as `SessionBinding`.
 *
 * @typeParam Request - what the framework's handlers receive (Express `req`, Koa `ctx`)
 * @example
 * ```ts
 * import type { SessionBinding } from '@secondfactor/http';
 *
 * const session: SessionBinding<MyRequest> = {
 *   read: (request) => request.mySession.get('secondFactor'),
 *   write: async (request, state, { regenerate }) => {
 *     if (regenerate) await request.mySession.rotate(); // a new id, the host's data kept (I4)
 *     request.mySession.set('secondFactor', state);
 *   },
 *   id: (request) => request.mySession.handle,
 * };
 * ```
 */
export interface SessionBinding<Request> {
  /** The value last written for this request's session, `undefined` when none. */
  read(request: Request): unknown;
  /** Stores `state` (`undefined` removes it); with `regenerate`, under a new session id first. */
  write(
    request: Request,
    state: SecondFactorSession | undefined,
    options: { regenerate: boolean },
  ): Promise<void>;
  /**
   * A handle of the session, which the service keeps this session by when it signs the others out, and
   * stores while a Telegram link is open. It must never be a value that alone makes a valid session
   * cookie: express-session's id and koa-session's `externalKey` are safe only with signed cookies, the
   * default of both (with koa-session's `signed: false` the cookie carries the external key itself).
   */
  id?: ((request: Request) => string | undefined) | undefined;
}

/**
 * The session access of one request through `binding`: what the HTTP layer reads and writes.
 *
 * @example
 * ```ts
 * import { sessionAccess } from '@secondfactor/http';
 *
 * const answer = await http.handle(route, { ...request, session: sessionAccess(binding, req) });
 * ```
 */
export function sessionAccess<Request>(binding: SessionBinding<Request>, request: Request): SessionAccess {
  return {
    read: () => binding.read(request),
    write: (state, options) => binding.write(request, state, options),
    id: () => binding.id?.(request),
  };
}
