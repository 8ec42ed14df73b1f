/**
 * @module
 * `createSecondFactorHttp`: the framework-free HTTP layer an adapter wraps. It answers each route of the
 * table for a neutral request (guard, CSRF, rate limit, body check, one service call, error mapping),
 * starts the second step from the host's password step, and guards the host's own routes.
 */
import { SecondFactorError } from '@secondfactor/core';
import type { LoginStart, TwoFactorUser } from '@secondfactor/service';
import { checkBody } from './body';
import { clientAddress } from './client-address';
import { readCookie } from './cookies';
import { checkCsrf, newCsrfToken } from './csrf';
import { HttpError } from './errors';
import { passGuard, requireRecent, requireSignedIn } from './guards';
import { pendingOf, signedInWith, viewOf } from './handlers/login-state';
import { type HttpContext, resolveHttpOptions, type SecondFactorHttpOptions } from './options';
import type { HttpHeaders, HttpRequest, HttpResponse, SessionAccess } from './request';
import { errorResponse } from './response';
import { actorOf, type Route, type RouteInfo } from './route';
import { ROUTE_TABLE } from './routes';
import { parseState, type SecondFactorSession } from './session-state';

/**
 * What the host's password step learns from `startSecondFactor`: what the second step needs.
 *
 * @example
 * ```ts
 * import type { SecondFactorStart } from '@secondfactor/http';
 *
 * const next: SecondFactorStart = await twoFactorRoutes.startSecondFactor(req, user);
 * if (next.state === 'denied') return res.status(403).json({ error: 'An administrator must restore your sign-in.' });
 * res.json(next);
 * ```
 */
export interface SecondFactorStart {
  /**
   * `done`: signed in (no second factor needed, or a remembered browser); `challenge`: ask for a code
   * (the login routes); `enroll`: the first set-up (the enrollment routes, maybe postponable);
   * `denied`: refuse the login, an administrator must act.
   */
  state: LoginStart['state'];
  /** The policy's reason code. */
  reason: string;
  methods: LoginStart['methods'];
  fallbackMethods: LoginStart['fallbackMethods'];
  devices: LoginStart['devices'];
  deferrable: boolean;
  graceRemainingSeconds: number | null;
  expiresAt: number | null;
  /** `done` because the browser was remembered. */
  trusted: boolean;
  /** The session's CSRF token (`null` for `denied`, which keeps no state). */
  csrfToken: string | null;
}

/**
 * Options of `startSecondFactor`.
 *
 * @example
 * ```ts
 * import type { StartSecondFactorOptions } from '@secondfactor/http';
 *
 * const options: StartSecondFactorOptions = { email: user.email, passwordAt: Date.now() };
 * ```
 */
export interface StartSecondFactorOptions {
  /**
   * When the password was checked.
   * @default now
   */
  passwordAt?: number | undefined;
  /** The account's verified e-mail address, where the policy sends e-mail codes without a set-up. */
  email?: string | undefined;
}

/**
 * A guard's verdict on a host's route: the state when it passed, the answer to send when not.
 *
 * @example
 * ```ts
 * import type { GuardResult } from '@secondfactor/http';
 *
 * const result: GuardResult = await http.check(session);
 * if (!result.ok) return send(result.response);
 * ```
 */
export type GuardResult = { ok: true; state: SecondFactorSession } | { ok: false; response: HttpResponse };

/**
 * The HTTP layer an adapter wraps. Made by {@link createSecondFactorHttp}.
 *
 * @example
 * ```ts
 * import { createSecondFactorHttp, type SecondFactorHttp } from '@secondfactor/http';
 *
 * const http: SecondFactorHttp = createSecondFactorHttp({ twoFactor });
 * ```
 */
export interface SecondFactorHttp {
  /** The route table, for the adapter to register. */
  readonly routes: readonly RouteInfo[];
  /** The body limit the adapter reads with (`readJsonBody`). */
  readonly bodyLimit: number;
  /** Answers one route of {@link SecondFactorHttp.routes}. Never throws. */
  handle(route: RouteInfo, request: HttpRequest): Promise<HttpResponse>;
  /**
   * The host's password step was right: starts the second step for `user` (never a user from a request
   * body), keeping the pending login in the session under a new session id.
   */
  start(
    session: SessionAccess,
    headers: HttpHeaders,
    user: TwoFactorUser,
    options?: StartSecondFactorOptions,
  ): Promise<SecondFactorStart>;
  /** `requireSecondFactor()`: passes a signed-in session under the user's current epoch (I1, I5). */
  check(session: SessionAccess): Promise<GuardResult>;
  /**
   * `requireRecentSecondFactor(maxAgeMs)`: also a second factor passed at most `maxAgeMs` ago. Checks
   * `maxAgeMs` when called (`invalid_argument` unless a positive whole number of milliseconds).
   */
  recent(maxAgeMs: number): (session: SessionAccess) => Promise<GuardResult>;
  /** The password was entered again (a re-authentication prompt): the policy's `reauthenticatedAt`. */
  reauthenticated(session: SessionAccess, at?: number): Promise<void>;
  /** Removes the 2FA state from the session (the host's sign-out). */
  signOut(session: SessionAccess): Promise<void>;
  /** The session's state, `null` without one. */
  stateOf(session: SessionAccess): SecondFactorSession | null;
  /** The error answer of a thrown value, translated. */
  errorResponse(error: unknown): HttpResponse;
}

function noStore(response: HttpResponse): HttpResponse {
  response.headers['cache-control'] = 'no-store';
  return response;
}

async function limit(http: HttpContext, route: RouteInfo, key: string): Promise<void> {
  if (http.rateLimit === undefined) return;
  const wait = await http.rateLimit({ key, route: route.name });
  if (wait === null) return;
  throw new SecondFactorError('rate_limited', 'Too many requests. Wait a moment and try again.', {
    detail: { limit: 'client', retryAfterMs: Math.max(0, wait) },
  });
}

async function answer(http: HttpContext, route: Route, request: HttpRequest): Promise<HttpResponse> {
  const state = parseState(request.session.read());
  const address = clientAddress(request.ip, request.headers, http.trustProxy);
  await limit(http, route, address);
  const { revoked } = await passGuard(http, route.guard, state, request.params);
  if (route.csrf && http.csrf !== false) checkCsrf(http.csrf, request.headers, state?.csrfToken);
  const body = route.body === 'json' ? request.body : checkBody(route.body, request.body);
  return route.handle({
    http,
    request,
    body,
    // Only the public webhook runs without a state, and it reads none.
    state: state as SecondFactorSession,
    actor: state === null ? (undefined as never) : actorOf(state),
    clientAddress: address,
    revoked,
    save: (next, options) => request.session.write(next, { regenerate: options?.regenerate ?? false }),
  });
}

/**
 * Makes the HTTP layer over a service. Adapters call it once; hosts use an adapter.
 *
 * @throws {SecondFactorError} `invalid_argument` naming a bad option.
 * @example
 * ```ts
 * import { createSecondFactorHttp } from '@secondfactor/http';
 *
 * const http = createSecondFactorHttp({ twoFactor });
 * for (const route of http.routes) router.on(route.method, route.path, (req) => http.handle(route, toRequest(req)));
 * ```
 */
export function createSecondFactorHttp(options: SecondFactorHttpOptions): SecondFactorHttp {
  const http = resolveHttpOptions(options);
  const byInfo = new Map<RouteInfo, Route>(ROUTE_TABLE.map((route) => [route, route]));
  const fail = (error: unknown, request?: HttpRequest): HttpResponse => {
    if (request !== undefined && !(error instanceof HttpError) && !(error instanceof SecondFactorError)) {
      http.onError?.(error, request);
    }
    return errorResponse(error, http.messages);
  };
  const guardResult = async (
    session: SessionAccess,
    run: (state: SecondFactorSession | null) => Promise<unknown>,
  ): Promise<GuardResult> => {
    const state = parseState(session.read());
    try {
      await run(state);
      return { ok: true, state: state as SecondFactorSession };
    } catch (error) {
      return { ok: false, response: noStore(fail(error)) };
    }
  };

  const api: SecondFactorHttp = {
    routes: ROUTE_TABLE,
    bodyLimit: http.bodyLimit,
    handle: async (info: RouteInfo, request: HttpRequest): Promise<HttpResponse> => {
      const route = byInfo.get(info);
      if (route === undefined) return fail(new SecondFactorError('not_found', 'Not found.'));
      try {
        const response = await answer(http, route, request);
        return route.noStore ? noStore(response) : response;
      } catch (error) {
        const response = fail(error, request);
        return route.noStore ? noStore(response) : response;
      }
    },
    start: async (session, headers, user, startOptions = {}) => {
      const trustedDeviceToken = readCookie(headers, http.cookie.name);
      const start = await http.twoFactor.startLogin(user, {
        ...(trustedDeviceToken === undefined ? {} : { trustedDeviceToken }),
        ...(startOptions.email === undefined ? {} : { email: startOptions.email }),
      });
      const base: SecondFactorSession = {
        v: 1,
        user: {
          id: user.id,
          roles: [...user.roles],
          ...(user.tenantId === undefined ? {} : { tenantId: user.tenantId }),
        },
        passwordAt: startOptions.passwordAt ?? http.now(),
        csrfToken: newCsrfToken(),
        signedIn: null,
        pending: null,
      };
      const pending = pendingOf(start, false);
      let csrfToken: string | null = base.csrfToken;
      if (start.state === 'done') {
        const proof = start.trusted === null ? null : { at: start.trusted.at, method: start.trusted.method };
        await session.write(signedInWith(base, proof, start.sessionEpoch), { regenerate: true });
      } else if (pending !== null) {
        await session.write({ ...base, pending }, { regenerate: true });
      } else {
        await session.write(undefined, { regenerate: false });
        csrfToken = null;
      }
      return {
        state: start.state,
        reason: start.reason,
        methods: start.methods,
        fallbackMethods: start.fallbackMethods,
        devices: pending === null ? start.devices : viewOf(pending).devices,
        deferrable: start.deferrable,
        graceRemainingSeconds: start.graceRemainingSeconds,
        expiresAt: start.expiresAt,
        trusted: start.trusted !== null,
        csrfToken,
      };
    },
    check: (session) => guardResult(session, (state) => requireSignedIn(http, state)),
    recent: (maxAgeMs) => {
      if (!Number.isSafeInteger(maxAgeMs) || maxAgeMs <= 0) {
        throw new SecondFactorError(
          'invalid_argument',
          'maxAgeMs must be a positive whole number of milliseconds',
        );
      }
      return (session) => guardResult(session, (state) => requireRecent(http, state, maxAgeMs));
    },
    reauthenticated: async (session, at) => {
      const state = parseState(session.read());
      if (state === null) throw new SecondFactorError('unauthenticated', 'Sign in with your password first.');
      await session.write({ ...state, passwordAt: at ?? http.now() }, { regenerate: false });
    },
    signOut: (session) => session.write(undefined, { regenerate: false }),
    stateOf: (session) => parseState(session.read()),
    errorResponse: (error) => fail(error),
  };
  return Object.freeze(api);
}
