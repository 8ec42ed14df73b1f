/**
 * @module
 * The smallest adapter: `node:http` with an in-memory cookie session, built only on the public API of
 * `@secondfactor/http` as its README describes, to show the layer needs no framework. Hosts the
 * conformance suite like the Express and Koa apps do.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createSecondFactorHttp,
  type HttpResponse,
  readJsonBody,
  type SecondFactorSession,
  type SessionAccess,
} from '@secondfactor/http';
import { type ConformanceApp, type ConformanceHost, RECENT_MS } from '@secondfactor/http/testing';

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

/** Matches `/devices/:deviceId` against a path. */
function match(pattern: string, path: string): Record<string, string> | null {
  const names: string[] = [];
  const source = pattern.replace(/:(\w+)/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const found = new RegExp(`^${source}$`).exec(path);
  if (found === null) return null;
  return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(found[i + 1] ?? '')]));
}

export async function startNodeApp(host: ConformanceHost): Promise<ConformanceApp> {
  const http = createSecondFactorHttp(host.options);
  const sessions = new Sessions();
  const recent = http.recent(RECENT_MS);
  const json = (status: number, value: unknown): HttpResponse => ({
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(value),
  });

  const server = createServer(async (req, res) => {
    const cookies: string[] = [];
    const session = sessions.access(req, cookies);
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      if (url.pathname.startsWith('/2fa/')) {
        const path = url.pathname.slice('/2fa'.length);
        for (const route of http.routes) {
          const params = route.method === req.method ? match(route.path, path) : null;
          if (params === null) continue;
          const body =
            req.method === 'GET'
              ? undefined
              : await readJsonBody(req, req.headers, { limit: http.bodyLimit });
          const query = Object.fromEntries(url.searchParams);
          const request = {
            method: route.method,
            path,
            params,
            query,
            body,
            headers: req.headers,
            ip: req.socket.remoteAddress ?? '',
            session,
          };
          return send(res, await http.handle(route, request), cookies);
        }
        return send(res, json(404, { error: { code: 'not_found', message: 'Not found.' } }), cookies);
      }
      if (req.method === 'POST' && url.pathname === '/password') {
        const { userId } = (await readJsonBody(req, req.headers)) as { userId?: string };
        const user = host.users.get(String(userId));
        if (user === undefined) return send(res, json(401, { error: 'wrong password' }), cookies);
        const { email, ...known } = user;
        const start = await http.start(session, req.headers, known, email === undefined ? {} : { email });
        return send(res, json(200, start), cookies);
      }
      if (req.method === 'POST' && url.pathname === '/logout') {
        sessions.destroy(req);
        return send(res, { status: 204, headers: {}, body: null }, cookies);
      }
      if (req.method === 'GET' && (url.pathname === '/protected' || url.pathname === '/sensitive')) {
        const result = url.pathname === '/protected' ? await http.check(session) : await recent(session);
        return send(res, result.ok ? json(200, { ok: true }) : result.response, cookies);
      }
      send(res, json(404, {}), cookies);
    } catch (error) {
      send(res, http.errorResponse(error), cookies);
    }
  });
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
