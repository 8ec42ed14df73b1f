/**
 * @module
 * The host app the suite talks to, in its framework-neutral parts: the password step, the two guarded
 * routes and the loopback server. Each adapter's test app keeps only its framework's wiring: the session,
 * the body parser, the sign-out and where the router is mounted.
 */
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SecondFactorAdapter } from '../adapter';
import { type ConformanceApp, type ConformanceHost, RECENT_MS } from './world';

/**
 * What a host route answers: a status and a value to send as JSON.
 *
 * @example
 * ```ts
 * import type { HostAnswer } from '@secondfactor/http/testing';
 *
 * const answer: HostAnswer = await routes.password(req, req.body);
 * res.status(answer.status).json(answer.body);
 * ```
 */
export interface HostAnswer {
  status: number;
  body: unknown;
}

/**
 * The part of an adapter the host routes use: the password-step hook and the guards.
 *
 * @typeParam Request - what the framework's handlers receive
 * @typeParam Guard - what a guard is (the framework's middleware)
 * @example
 * ```ts
 * import type { HostAdapter } from '@secondfactor/http/testing';
 *
 * const adapter: HostAdapter<Request, RequestHandler> = secondFactor(host.options);
 * ```
 */
export type HostAdapter<Request, Guard> = Pick<
  SecondFactorAdapter<Request, Guard, unknown>,
  'startSecondFactor' | 'requireSecondFactor' | 'requireRecentSecondFactor'
>;

/**
 * A `GET` route of the host behind a guard, answering {@link GUARDED_ANSWER} when the guard lets it through.
 *
 * @example
 * ```ts
 * import type { GuardedRoute } from '@secondfactor/http/testing';
 *
 * const route: GuardedRoute<RequestHandler> = { path: '/protected', guard: adapter.requireSecondFactor() };
 * ```
 */
export interface GuardedRoute<Guard> {
  path: string;
  guard: Guard;
}

/**
 * The host's routes the suite calls besides the router, over an adapter. Made by {@link hostRoutes}.
 *
 * @example
 * ```ts
 * import { GUARDED_ANSWER, type HostRoutes, hostRoutes } from '@secondfactor/http/testing';
 *
 * const routes: HostRoutes<Request, RequestHandler> = hostRoutes(host, adapter);
 * for (const { path, guard } of routes.guarded) app.get(path, guard, (_req, res) => res.json(GUARDED_ANSWER));
 * ```
 */
export interface HostRoutes<Request, Guard> {
  /**
   * `POST /password` with the body the framework parsed (`{ userId }`): 401 for an unknown user,
   * otherwise what `startSecondFactor` answers for him, with his e-mail address.
   */
  password(request: Request, body: unknown): Promise<HostAnswer>;
  /** `GET /protected` behind `requireSecondFactor()`, `GET /sensitive` behind `requireRecentSecondFactor(RECENT_MS)`. */
  guarded: readonly GuardedRoute<Guard>[];
}

/**
 * What a guarded route answers when its guard lets the request through.
 *
 * @example
 * ```ts
 * import { GUARDED_ANSWER } from '@secondfactor/http/testing';
 *
 * app.get('/protected', adapter.requireSecondFactor(), (_req, res) => res.json(GUARDED_ANSWER));
 * ```
 */
export const GUARDED_ANSWER: { readonly ok: true } = Object.freeze({ ok: true });

/**
 * The host's routes of `host` over `adapter`, for a test app to register with its framework.
 *
 * @example
 * ```ts
 * import { hostRoutes } from '@secondfactor/http/testing';
 *
 * const routes = hostRoutes(host, twoFactorRoutes);
 * app.post('/password', express.json(), (req, res, next) => {
 *   routes.password(req, req.body).then((answer) => res.status(answer.status).json(answer.body), next);
 * });
 * ```
 */
export function hostRoutes<Request, Guard>(
  host: ConformanceHost,
  adapter: HostAdapter<Request, Guard>,
): HostRoutes<Request, Guard> {
  return {
    password: async (request, body) => {
      const user = host.users.get(String((body as { userId?: unknown } | undefined)?.userId));
      if (user === undefined) return { status: 401, body: { error: 'wrong password' } };
      const { email, ...known } = user;
      const start = await adapter.startSecondFactor(request, known, email === undefined ? {} : { email });
      return { status: 200, body: start };
    },
    guarded: [
      { path: '/protected', guard: adapter.requireSecondFactor() },
      { path: '/sensitive', guard: adapter.requireRecentSecondFactor(RECENT_MS) },
    ],
  };
}

/**
 * Serves `listener` (an Express app, a Koa app's `callback()`, a `node:http` handler) on 127.0.0.1 at a
 * free port until `close()`, which also ends open connections.
 *
 * @example
 * ```ts
 * import { serveOnLoopback } from '@secondfactor/http/testing';
 *
 * const app = await serveOnLoopback(koa.callback());
 * await fetch(`${app.url}/2fa/status`);
 * await app.close();
 * ```
 */
export async function serveOnLoopback(listener: RequestListener): Promise<ConformanceApp> {
  const server = createServer(listener);
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
