/**
 * @module
 * The smallest adapter: `node:http` with an in-memory cookie session, built only on the public API of
 * `@secondfactor/http` as its README describes, to show the layer needs no framework. Hosts the
 * conformance suite like the Express and Koa apps do.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createSecondFactorHttp,
  type GuardResult,
  type HttpHeaders,
  type HttpResponse,
  matchRoute,
  readJsonBody,
  readRequestBody,
  type SecondFactorSession,
  type SessionAccess,
} from '@secondfactor/http';
import {
  type ConformanceApp,
  type ConformanceHost,
  GUARDED_ANSWER,
  hostRoutes,
  serveOnLoopback,
} from '@secondfactor/http/testing';

export const SESSION_COOKIE = 'sid';

/**
 * A request's session: a map entry under a random id in a cookie. The entry has its own handle, given to
 * the service as the session's id: the service may keep it (a pending Telegram link), so it is never the
 * cookie's value.
 */
class Sessions {
  private readonly data = new Map<string, { handle: string; secondFactor?: SecondFactorSession }>();

  /** The session access of a request; `cookies` collects the `Set-Cookie` of a new id. */
  access(req: IncomingMessage, cookies: string[]): SessionAccess {
    let id = /(?:^|;\s*)sid=([\w-]+)/.exec(req.headers.cookie ?? '')?.[1];
    const entry = () => (id === undefined ? undefined : this.data.get(id));
    const fresh = (): string => {
      const next = randomBytes(24).toString('base64url');
      cookies.push(`${SESSION_COOKIE}=${next}; Path=/; HttpOnly; SameSite=Lax`);
      return next;
    };
    return {
      read: () => entry()?.secondFactor,
      write: async (state, { regenerate }) => {
        const kept = { handle: randomBytes(12).toString('base64url'), ...entry() };
        if (id === undefined || regenerate) {
          if (id !== undefined) this.data.delete(id);
          id = fresh();
        }
        if (state === undefined) delete kept.secondFactor;
        else kept.secondFactor = state;
        this.data.set(id, kept);
      },
      id: () => entry()?.handle,
    };
  }

  destroy(req: IncomingMessage): void {
    const id = /(?:^|;\s*)sid=([\w-]+)/.exec(req.headers.cookie ?? '')?.[1];
    if (id !== undefined) this.data.delete(id);
  }
}

function send(res: ServerResponse, response: HttpResponse, cookies: string[]): void {
  res.statusCode = response.status;
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  const setCookie = [...cookies, ...[response.headers['set-cookie'] ?? []].flat()];
  if (setCookie.length > 0) res.setHeader('set-cookie', setCookie);
  res.end(response.body ?? undefined);
}

/** What the host routes get of a request here: its session and its headers. */
interface HostRequest {
  session: SessionAccess;
  headers: HttpHeaders;
}

/** A guard here: the session in, the guard's verdict out. */
type Guard = (session: SessionAccess) => Promise<GuardResult>;

export async function startNodeApp(host: ConformanceHost): Promise<ConformanceApp> {
  const http = createSecondFactorHttp(host.options);
  const sessions = new Sessions();
  const routes = hostRoutes<HostRequest, Guard>(host, {
    startSecondFactor: ({ session, headers }, user, options) => http.start(session, headers, user, options),
    requireSecondFactor: () => http.check,
    requireRecentSecondFactor: http.recent,
  });
  const json = (status: number, value: unknown): HttpResponse => ({
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(value),
  });

  return serveOnLoopback(async (req, res) => {
    const cookies: string[] = [];
    const session = sessions.access(req, cookies);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    try {
      if (url.pathname.startsWith('/2fa/')) {
        const path = url.pathname.slice('/2fa'.length);
        const found = matchRoute(http.routes, method, path);
        if (found === null) {
          return send(res, json(404, { error: { code: 'not_found', message: 'Not found.' } }), cookies);
        }
        const body = await readRequestBody(req, req.headers, { method, limit: http.bodyLimit });
        const request = {
          method: found.route.method,
          path,
          params: found.params,
          query: Object.fromEntries(url.searchParams),
          body,
          headers: req.headers,
          ip: req.socket.remoteAddress ?? '',
          session,
        };
        return send(res, await http.handle(found.route, request), cookies);
      }
      if (method === 'POST' && url.pathname === '/password') {
        const answer = await routes.password(
          { session, headers: req.headers },
          await readJsonBody(req, req.headers),
        );
        return send(res, json(answer.status, answer.body), cookies);
      }
      if (method === 'POST' && url.pathname === '/logout') {
        sessions.destroy(req);
        return send(res, { status: 204, headers: {}, body: null }, cookies);
      }
      const guarded = routes.guarded.find((route) => route.path === url.pathname);
      if (method === 'GET' && guarded !== undefined) {
        const result = await guarded.guard(session);
        return send(res, result.ok ? json(200, GUARDED_ANSWER) : result.response, cookies);
      }
      send(res, json(404, {}), cookies);
    } catch (error) {
      send(res, http.errorResponse(error), cookies);
    }
  });
}
