/**
 * @module
 * `secondFactor(options)`: the Express adapter. It registers the route table of `@secondfactor/http` on
 * an Express `Router` and offers the guards and the password-step hook; every answer comes from the
 * framework-free layer, so this file only translates requests and answers.
 */
import {
  createSecondFactorHttp,
  type GuardResult,
  type SecondFactorAdapter,
  type SecondFactorHttpOptions,
  type SessionAccess,
  sessionAccess,
} from '@secondfactor/http';
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import { send, toHttpRequest } from './exchange';
import { expressSession, type SessionBinding } from './session';

/**
 * What {@link secondFactor} takes: the options of `@secondfactor/http`, and the session to use.
 *
 * @example
 * ```ts
 * import type { SecondFactorExpressOptions } from '@secondfactor/express';
 *
 * const options: SecondFactorExpressOptions = { twoFactor, trustProxy: ['10.0.0.2'] };
 * ```
 */
export interface SecondFactorExpressOptions extends SecondFactorHttpOptions {
  /**
   * Where the 2FA state is kept.
   * @default `express-session` (`req.session.secondFactor`), which must be mounted before the router
   */
  session?: SessionBinding | undefined;
}

/**
 * The Express adapter: mount `router`, guard your routes, call `startSecondFactor` from your password
 * step. The same names as `@secondfactor/koa` (`SecondFactorAdapter`).
 *
 * @example
 * ```ts
 * import { type SecondFactorExpress, secondFactor } from '@secondfactor/express';
 *
 * const twoFactorRoutes: SecondFactorExpress = secondFactor({ twoFactor });
 * ```
 */
export type SecondFactorExpress = SecondFactorAdapter<Request, RequestHandler, Router>;

/**
 * The key of `res.locals` where a guard that passed puts the session's 2FA state.
 *
 * @example
 * ```ts
 * import { LOCALS_KEY } from '@secondfactor/express';
 *
 * app.get('/account', twoFactorRoutes.requireSecondFactor(), (req, res) => res.json(res.locals[LOCALS_KEY].user));
 * ```
 */
export const LOCALS_KEY = 'secondFactor';

/**
 * Creates the Express adapter: the JSON endpoints of the second step, enrollment, backup codes, devices,
 * Telegram and administration as a `Router`, and the guards for the host's routes. One object, because
 * the router and the guards share the service, the clock and the session binding.
 *
 * @throws {SecondFactorError} `invalid_argument` naming a bad option.
 * @example
 * ```ts
 * import { secondFactor } from '@secondfactor/express';
 *
 * const twoFactorRoutes = secondFactor({ twoFactor, accountName: (user) => emailOf(user.id) });
 * app.use('/2fa', twoFactorRoutes.router);
 * app.get('/account', twoFactorRoutes.requireSecondFactor(), showAccount);
 * ```
 */
export function secondFactor(options: SecondFactorExpressOptions): SecondFactorExpress {
  const { session, ...httpOptions } = options;
  const http = createSecondFactorHttp(httpOptions);
  const binding = session ?? expressSession;
  const router = express.Router();

  for (const route of http.routes) {
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    router[method](route.path, async (req: Request, res: Response) => {
      try {
        send(res, await http.handle(route, await toHttpRequest(http, binding, req)));
      } catch (error) {
        // A body that could not be read; the handler itself never throws.
        const response = http.errorResponse(error);
        response.headers['cache-control'] = 'no-store';
        send(res, response);
      }
    });
  }

  const guard =
    (check: (access: SessionAccess) => Promise<GuardResult>): RequestHandler =>
    (req: Request, res: Response, next: NextFunction) => {
      check(sessionAccess(binding, req)).then((result) => {
        if (!result.ok) return send(res, result.response);
        res.locals[LOCALS_KEY] = result.state;
        next();
      }, next);
    };

  return Object.freeze({
    router,
    requireSecondFactor: () => guard((access) => http.check(access)),
    requireRecentSecondFactor: (maxAgeMs: number) => guard(http.recent(maxAgeMs)),
    startSecondFactor: (req, user, startOptions) =>
      http.start(sessionAccess(binding, req), req.headers, user, startOptions),
    reauthenticated: (req, at) => http.reauthenticated(sessionAccess(binding, req), at),
    signOut: (req) => http.signOut(sessionAccess(binding, req)),
    stateOf: (req) => http.stateOf(sessionAccess(binding, req)),
  } satisfies SecondFactorExpress);
}
