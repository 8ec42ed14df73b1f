/**
 * @module
 * Which route of the table a request asks for, for hosts without a router (Koa, plain `node:http`):
 * the table's `:name` paths matched the way Express's and `@koa/router`'s defaults match them — any letter
 * case, an optional trailing slash, `HEAD` answered by the `GET` route, parameters percent-decoded.
 */
import type { RouteInfo } from './route';

/**
 * The route a request asks for and its decoded path parameters.
 *
 * @example
 * ```ts
 * import { matchRoute, ROUTES, type RouteMatch } from '@secondfactor/http';
 *
 * const found: RouteMatch | null = matchRoute(ROUTES, 'DELETE', '/devices/d%201');
 * // found?.route.name === 'devices.remove', found?.params.deviceId === 'd 1'
 * ```
 */
export interface RouteMatch {
  route: RouteInfo;
  /** The route's `:name` parameters, percent-decoded. */
  params: Record<string, string>;
}

interface Compiled {
  names: string[];
  pattern: RegExp;
}

const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Compiled once per route object: the table is frozen, so a route's path never changes.
const compiledRoutes = new WeakMap<RouteInfo, Compiled>();

function compiled(route: RouteInfo): Compiled {
  let found = compiledRoutes.get(route);
  if (found === undefined) {
    const names: string[] = [];
    const source = route.path
      .split('/')
      .map((segment) => {
        if (!segment.startsWith(':')) return literal(segment);
        names.push(segment.slice(1));
        return '([^/]+)';
      })
      .join('/');
    found = { names, pattern: new RegExp(`^${source}/?$`, 'i') };
    compiledRoutes.set(route, found);
  }
  return found;
}

/**
 * The first route of `routes` for `method` and `path` (the path below the mount point, still
 * percent-encoded, as `URL.pathname` gives it), or `null`: none matches, or a parameter is not valid
 * percent-encoding (it names nothing in the table).
 *
 * @example
 * ```ts
 * import { matchRoute } from '@secondfactor/http';
 *
 * const found = matchRoute(http.routes, req.method, url.pathname.slice('/2fa'.length));
 * if (found !== null) send(res, await http.handle(found.route, { ...request, params: found.params }));
 * ```
 */
export function matchRoute(routes: readonly RouteInfo[], method: string, path: string): RouteMatch | null {
  const wanted = method === 'HEAD' ? 'GET' : method;
  for (const route of routes) {
    if (route.method !== wanted) continue;
    const { names, pattern } = compiled(route);
    const found = pattern.exec(path);
    if (found === null) continue;
    const params: Record<string, string> = {};
    try {
      names.forEach((name, i) => {
        params[name] = decodeURIComponent(found[i + 1] ?? '');
      });
    } catch {
      return null;
    }
    return { route, params };
  }
  return null;
}
