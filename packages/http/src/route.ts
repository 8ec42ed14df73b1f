/**
 * @module
 * What a route is: its method and path, the guard it stands behind, whether it needs the CSRF check and
 * `Cache-Control: no-store`, its body's fields, and its handler, a few lines over one service method.
 */
import type { Actor } from '@secondfactor/policy';
import type { BodyOf, BodySchema } from './body';
import type { GuardKind } from './guards';
import type { HttpContext } from './options';
import type { HttpRequest, HttpResponse } from './request';
import type { SecondFactorSession } from './session-state';

/**
 * The methods routes use.
 *
 * @example
 * ```ts
 * import type { RouteMethod } from '@secondfactor/http';
 *
 * const method: RouteMethod = 'PATCH';
 * ```
 */
export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * A route as adapters register it and the route-inventory test checks it.
 *
 * @example
 * ```ts
 * import { ROUTES, type RouteInfo } from '@secondfactor/http';
 *
 * const verify: RouteInfo | undefined = ROUTES.find((route) => route.name === 'login.verify');
 * ```
 */
export interface RouteInfo {
  /** A stable name (`login.verify`), also given to the rate limiter. */
  readonly name: string;
  readonly method: RouteMethod;
  /** Below the router's mount point, with `:name` parameters (`/devices/:deviceId`). */
  readonly path: string;
  readonly guard: GuardKind;
  /** The CSRF check runs before the handler (every state-changing route but the webhook). */
  readonly csrf: boolean;
  /** Answers carry `Cache-Control: no-store` (checklist I10). */
  readonly noStore: boolean;
}

/** What a handler gets: the request, its checked body, the session's state and the actor it stands for. @internal */
export interface RouteContext<B> {
  http: HttpContext;
  request: HttpRequest;
  body: B;
  /** The state; `null` only on `public` routes. */
  state: SecondFactorSession;
  /** The session's user as the policy's actor (password time, second factor of this session). */
  actor: Actor;
  /** The client's address (E7). */
  clientAddress: string;
  /**
   * The user's epoch moved past the session's, and the `link` guard let it through to its own link's
   * status; `false` on every other guard.
   */
  revoked: boolean;
  /** Writes the state (with a new session id when asked, I4). */
  save(state: SecondFactorSession | undefined, options?: { regenerate?: boolean }): Promise<void>;
}

/** A route with its handler. @internal */
export interface Route extends RouteInfo {
  /** The body's fields; `'json'` passes any JSON on (the webhook's update, checked by its reader). */
  readonly body: BodySchema | 'json';
  handle(ctx: RouteContext<unknown>): Promise<HttpResponse>;
}

/** A route whose handler's body is typed by its schema. @internal */
export interface TypedRoute<S extends BodySchema> extends RouteInfo {
  readonly body: S;
  handle(ctx: RouteContext<BodyOf<S>>): Promise<HttpResponse>;
}

/** Declares a route, typing its handler's body by its schema. @internal */
export function route<S extends BodySchema>(definition: TypedRoute<S>): Route {
  return definition as unknown as Route;
}

/** Declares a route that takes any JSON body. @internal */
export function jsonRoute(
  definition: RouteInfo & { body: 'json'; handle(ctx: RouteContext<unknown>): Promise<HttpResponse> },
): Route {
  return definition;
}
/** The actor of the session's user. @internal */
export function actorOf(state: SecondFactorSession): Actor {
  return {
    ...state.user,
    reauthenticatedAt: state.passwordAt,
    secondFactor: state.signedIn?.secondFactor ?? null,
  };
}
