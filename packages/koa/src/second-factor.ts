/**
 * @module
 * `secondFactor(options)`: the Koa adapter. Its middleware answers the route table of
 * `@secondfactor/http` below a prefix and passes every other request on; it also offers the guards and
 * the password-step hook. Every answer comes from the framework-free layer, so this file only
 * translates requests and answers.
 */
import {
  createSecondFactorHttp,
  type GuardResult,
  matchRoute,
  type SecondFactorAdapter,
  type SecondFactorHttpOptions,
  type SessionAccess,
  sessionAccess,
} from '@secondfactor/http';
import type { Context, Middleware } from 'koa';
import { send, toHttpRequest } from './exchange';
import { checkPrefix, pathBelow } from './prefix';
import { koaSession, type SessionBinding } from './session';

/**
 * What {@link secondFactor} takes: the options of `@secondfactor/http`, where the routes are, and the
 * session to use.
 *
 * @example
 * ```ts
 * import type { SecondFactorKoaOptions } from '@secondfactor/koa';
 *
 * const options: SecondFactorKoaOptions = { twoFactor, prefix: '/account/2fa', trustProxy: ['10.0.0.2'] };
 * ```
 */
export interface SecondFactorKoaOptions extends SecondFactorHttpOptions {
  /**
   * The path the routes are served below, as `ctx.path` shows it: `''` under `koa-mount`, which strips
   * its own path.
   * @default '/2fa'
   */
  prefix?: string | undefined;
  /**
   * Where the 2FA state is kept.
   * @default `koa-session` (`ctx.session.secondFactor`), which must be mounted before the middleware
   */
  session?: SessionBinding | undefined;
}

/**
 * The Koa adapter: mount `router`, guard your routes, call `startSecondFactor` from your password step.
 * The same names as `@secondfactor/express` (`SecondFactorAdapter`); `router` is Koa middleware.
 *
 * @example
 * ```ts
 * import { type SecondFactorKoa, secondFactor } from '@secondfactor/koa';
 *
 * const twoFactorRoutes: SecondFactorKoa = secondFactor({ twoFactor });
 * ```
 */
export type SecondFactorKoa = SecondFactorAdapter<Context, Middleware, Middleware>;

/**
 * The key of `ctx.state` where a guard that passed puts the session's 2FA state.
 *
 * @example
 * ```ts
 * import { STATE_KEY } from '@secondfactor/koa';
 *
 * router.get('/account', twoFactorRoutes.requireSecondFactor(), (ctx) => {
 *   ctx.body = ctx.state[STATE_KEY].user;
 * });
 * ```
 */
export const STATE_KEY = 'secondFactor';

/**
 * Creates the Koa adapter: the JSON endpoints of the second step, enrollment, backup codes, devices,
 * Telegram and administration as one middleware, and the guards for the host's routes. One object,
 * because the middleware and the guards share the service, the clock and the session binding.
 *
 * @throws {SecondFactorError} `invalid_argument` naming a bad option.
 * @example
 * ```ts
 * import { secondFactor } from '@secondfactor/koa';
 *
 * const twoFactorRoutes = secondFactor({ twoFactor, accountName: (user) => emailOf(user.id) });
 * app.use(twoFactorRoutes.router); // /2fa/...
 * ```
 */
export function secondFactor(options: SecondFactorKoaOptions): SecondFactorKoa {
  const { session, prefix = '/2fa', ...httpOptions } = options;
  const http = createSecondFactorHttp(httpOptions);
  const below = pathBelow(checkPrefix(prefix));
  const binding = session ?? koaSession;

  const router: Middleware = async (ctx, next) => {
    const path = below(ctx.path);
    const found = path === null ? null : matchRoute(http.routes, ctx.method, path);
    if (path === null || found === null) return next();
    try {
      send(ctx, await http.handle(found.route, await toHttpRequest(http, binding, ctx, path, found)));
    } catch (error) {
      // A body that could not be read; the handler itself never throws.
      const response = http.errorResponse(error);
      response.headers['cache-control'] = 'no-store';
      send(ctx, response);
    }
  };

  const guard =
    (check: (access: SessionAccess) => Promise<GuardResult>): Middleware =>
    async (ctx, next) => {
      const result = await check(sessionAccess(binding, ctx));
      if (!result.ok) return send(ctx, result.response);
      ctx.state[STATE_KEY] = result.state;
      return next();
    };

  return Object.freeze({
    router,
    requireSecondFactor: () => guard((access) => http.check(access)),
    requireRecentSecondFactor: (maxAgeMs: number) => guard(http.recent(maxAgeMs)),
    startSecondFactor: (ctx, user, startOptions) =>
      http.start(sessionAccess(binding, ctx), ctx.headers, user, startOptions),
    reauthenticated: (ctx, at) => http.reauthenticated(sessionAccess(binding, ctx), at),
    signOut: (ctx) => http.signOut(sessionAccess(binding, ctx)),
    stateOf: (ctx) => http.stateOf(sessionAccess(binding, ctx)),
  } satisfies SecondFactorKoa);
}
