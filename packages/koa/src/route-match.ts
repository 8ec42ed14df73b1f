/**
 * @module
 * Which route of the table a Koa request asks for. Koa has no router of its own, so the adapter matches
 * `ctx.path` against the table's `:name` paths below its prefix, the way Express's and @koa/router's
 * defaults do: case-insensitive, an optional trailing slash, `HEAD` answered by the `GET` route.
 */
import { SecondFactorError } from '@secondfactor/core';
import type { RouteInfo } from '@secondfactor/http';

/** A request's route, its path below the prefix, and its decoded parameters. @internal */
export interface RouteMatch {
  route: RouteInfo;
  path: string;
  params: Record<string, string>;
}

/** The prefix, checked: `''` or a path that starts with `/` and does not end with one. @internal */
export function checkPrefix(prefix: string): string {
  if (typeof prefix !== 'string' || (prefix !== '' && !/^\/[^?#\s]*[^/?#\s]$/.test(prefix))) {
    throw new SecondFactorError(
      'invalid_argument',
      "prefix must be '' or a path that starts with '/' and does not end with '/', such as '/2fa'",
    );
  }
  return prefix;
}

const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Matches a request's method and path against `routes` below `prefix`. @internal */
export function routeMatcher(
  routes: readonly RouteInfo[],
  prefix: string,
): (method: string, path: string) => RouteMatch | null {
  const compiled = routes.map((route) => {
    const names: string[] = [];
    const source = route.path
      .split('/')
      .map((segment) => {
        if (!segment.startsWith(':')) return literal(segment);
        names.push(segment.slice(1));
        return '([^/]+)';
      })
      .join('/');
    return { route, names, pattern: new RegExp(`^${literal(prefix)}(${source})/?$`, 'i') };
  });
  return (method, path) => {
    const wanted = method === 'HEAD' ? 'GET' : method;
    for (const { route, names, pattern } of compiled) {
      if (route.method !== wanted) continue;
      const found = pattern.exec(path);
      if (found === null) continue;
      const params: Record<string, string> = {};
      try {
        names.forEach((name, i) => {
          params[name] = decodeURIComponent(found[i + 2] ?? '');
        });
      } catch {
        // A parameter that is not valid percent-encoding names nothing in the table.
        return null;
      }
      return { route, path: found[1] ?? '', params };
    }
    return null;
  };
}
