/**
 * @module
 * The prefix the Koa middleware answers below. Koa has no router of its own, so the adapter strips its
 * prefix from `ctx.path` (in any letter case, as Express's and @koa/router's defaults match) and asks
 * `matchRoute` of `@secondfactor/http` for the rest.
 */
import { SecondFactorError } from '@secondfactor/core';

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

/**
 * Finds the path below `prefix` (a checked one), matched in any letter case: `/2FA/status` is `/status`
 * below `/2fa`; `/2fastatus` and `/status` are not below it (`null`). @internal
 */
export function pathBelow(prefix: string): (path: string) => string | null {
  const pattern = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(/.*)$`, 'is');
  return (path) => pattern.exec(path)?.[1] ?? null;
}
