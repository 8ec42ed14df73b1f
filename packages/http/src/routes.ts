/**
 * @module
 * The one route table every adapter registers: the same paths, guards, CSRF checks and cache headers
 * in Express and Koa, so the conformance suite and the route-inventory test speak of one list.
 */
import { accountRoutes } from './handlers/account';
import { adminRoutes } from './handlers/admin';
import { backupCodeRoutes } from './handlers/backup-codes';
import { enrollmentRoutes } from './handlers/enrollment';
import { loginRoutes } from './handlers/login';
import { telegramRoutes } from './handlers/telegram';
import { tenantRoutes } from './handlers/tenant';
import type { Route, RouteInfo } from './route';

/** Every route with its handler, in registration order. @internal */
export const ROUTE_TABLE: readonly Route[] = Object.freeze([
  ...loginRoutes,
  ...enrollmentRoutes,
  ...backupCodeRoutes,
  ...accountRoutes,
  ...telegramRoutes,
  ...tenantRoutes,
  ...adminRoutes,
]);

/**
 * The routes that are public by design, by name: the Telegram webhook, which Telegram's servers call and
 * which authenticates itself by its secret-token header. Every other route stands behind a guard; the
 * route-inventory test holds the table to this list.
 *
 * @example
 * ```ts
 * import { PUBLIC_ROUTES, ROUTES } from '@secondfactor/http';
 *
 * const guarded = ROUTES.filter((route) => !PUBLIC_ROUTES.includes(route.name));
 * ```
 */
export const PUBLIC_ROUTES: readonly string[] = Object.freeze(['telegram.webhook']);

/**
 * The route table as adapters register it: method, path, guard, CSRF and `no-store` of each route.
 *
 * @example
 * ```ts
 * import { ROUTES } from '@secondfactor/http';
 *
 * for (const route of ROUTES) console.log(route.method, route.path, route.guard);
 * ```
 */
export const ROUTES: readonly RouteInfo[] = ROUTE_TABLE;
