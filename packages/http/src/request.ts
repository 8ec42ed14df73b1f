/**
 * @module
 * The neutral request and response every adapter translates to and from: no framework type appears in
 * the HTTP layer, so an Express, Koa or plain `node:http` adapter is the same few lines.
 */
import type { SecondFactorSession } from './session-state';

/**
 * Header values as Node gives them: lower-case names, a string or a list.
 *
 * @example
 * ```ts
 * import type { HttpHeaders } from '@secondfactor/http';
 *
 * const headers: HttpHeaders = request.headers; // a Node IncomingMessage's
 * ```
 */
export type HttpHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Where the adapter keeps the 2FA state in the framework's session: read it, write it, and write it
 * under a new session id (fixation, checklist I4). `express-session` and `koa-session` have one in
 * their adapter; any other session needs these callbacks.
 *
 * @example
 * ```ts
 * import type { SessionAccess } from '@secondfactor/http';
 *
 * const access: SessionAccess = {
 *   read: () => mySession.get('secondFactor'),
 *   write: async (state, { regenerate }) => {
 *     if (regenerate) await mySession.rotateId();
 *     mySession.set('secondFactor', state);
 *   },
 *   id: () => mySession.id,
 * };
 * ```
 */
export interface SessionAccess {
  /** The value last written (any value: it is checked before use), `undefined` when none. */
  read(): unknown;
  /**
   * Stores `state` (`undefined` removes it). With `regenerate`, first gives the session a new id,
   * keeping the rest of its content (the host's own keys).
   */
  write(state: SecondFactorSession | undefined, options: { regenerate: boolean }): Promise<void>;
  /**
   * A handle of the session (its record's id in the session store), passed to the service as the session
   * to keep when others are signed out. The service may store it until a Telegram link completes, so it
   * must never be the secret the session cookie carries.
   */
  id(): string | undefined;
}

/**
 * A request as the HTTP layer sees it.
 *
 * @example
 * ```ts
 * import type { HttpRequest } from '@secondfactor/http';
 *
 * const request: HttpRequest = {
 *   method: 'POST',
 *   path: '/login/verify',
 *   params: {},
 *   query: {},
 *   body: { method: 'totp', code: '123456' },
 *   headers: req.headers,
 *   ip: req.socket.remoteAddress ?? '',
 *   session,
 * };
 * ```
 */
export interface HttpRequest {
  /** Upper-case method. */
  method: string;
  /** The path below the router's mount point, e.g. `/login/verify`. */
  path: string;
  /** The route's path parameters (`:deviceId`), decoded. */
  params: Readonly<Record<string, string>>;
  /** The query string's parameters (the first value of each). */
  query: Readonly<Record<string, string | undefined>>;
  /** The parsed JSON body; `undefined` without one (see `readJsonBody`). */
  body: unknown;
  headers: HttpHeaders;
  /** The TCP peer's address (never a header): the client address is derived from it (E7). */
  ip: string;
  session: SessionAccess;
}

/**
 * An answer: the adapter writes the status, every header, and the body as it is.
 *
 * @example
 * ```ts
 * import type { HttpResponse } from '@secondfactor/http';
 *
 * const answer: HttpResponse = await http.handle(route, request);
 * res.writeHead(answer.status, answer.headers).end(answer.body ?? undefined);
 * ```
 */
export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[]>;
  /** The serialized body (JSON or text), `null` for none. */
  body: string | null;
}

/** The first value of a header. @internal */
export function header(headers: HttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : value?.[0];
}
