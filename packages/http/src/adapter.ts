/**
 * @module
 * The contract every framework adapter exports, typed once here so Express and Koa offer the same names
 * with the same meaning; only the framework's request, middleware and router types differ.
 */
import type { TwoFactorUser } from '@secondfactor/service';
import type { SecondFactorStart, StartSecondFactorOptions } from './core';
import type { SecondFactorSession } from './session-state';

/**
 * What `secondFactor(options)` of an adapter returns.
 *
 * @typeParam Request - what the framework's handlers receive (Express `req`, Koa `ctx`)
 * @typeParam Middleware - the framework's middleware function type
 * @typeParam Router - what the host mounts (Express `Router`, Koa middleware)
 * @example
 * ```ts
 * import type { SecondFactorAdapter } from '@secondfactor/http';
 *
 * type KoaSecondFactor = SecondFactorAdapter<Context, Middleware, Middleware>;
 * ```
 */
export interface SecondFactorAdapter<Request, Middleware, Router> {
  /** The JSON endpoints of the route table; mount it under a path of your choice (`/2fa`). */
  readonly router: Router;
  /** Lets a request through only when its session passed the second step (I1); 401 otherwise. */
  requireSecondFactor(): Middleware;
  /** As `requireSecondFactor`, and the second factor was passed at most `maxAgeMs` ago. */
  requireRecentSecondFactor(maxAgeMs: number): Middleware;
  /**
   * From the host's password step, once the password was right: starts the second step for `user` in
   * this request's session (the user comes from the host, never from the request).
   */
  startSecondFactor(
    request: Request,
    user: TwoFactorUser,
    options?: StartSecondFactorOptions,
  ): Promise<SecondFactorStart>;
  /** The user entered his password again: the time the policy's fresh-password checks read. */
  reauthenticated(request: Request, at?: number): Promise<void>;
  /** Removes the 2FA state from the session (call it from the host's sign-out). */
  signOut(request: Request): Promise<void>;
  /** The session's 2FA state, `null` without one. */
  stateOf(request: Request): SecondFactorSession | null;
}
