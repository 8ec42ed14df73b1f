/**
 * @module
 * `@secondfactor/http`: the framework-free HTTP layer of secondfactor — one route table over
 * `@secondfactor/service` with its guards, sessions, CSRF protection, body checks and error mapping —
 * that the Express and Koa adapters wrap in a few lines each.
 */
export type { SecondFactorAdapter } from './adapter';
export {
  type BodyOptions,
  type BodySchema,
  checkParsedBody,
  DEFAULT_BODY_LIMIT,
  type Field,
  type RequestBodyOptions,
  readJsonBody,
  readRequestBody,
} from './body';
export { clientAddress, type TrustProxy } from './client-address';
export type { TrustedDeviceCookie } from './cookies';
export {
  createSecondFactorHttp,
  type GuardResult,
  type SecondFactorHttp,
  type SecondFactorStart,
  type StartSecondFactorOptions,
} from './core';
export type { CsrfOptions } from './csrf';
export {
  type ErrorBody,
  HTTP_ERROR_STATUS,
  type HttpErrorCode,
  type HttpOnlyErrorCode,
  statusOf,
} from './errors';
export type { GuardKind } from './guards';
export type { LoginView } from './handlers/login-state';
export { DEFAULT_HTTP_MESSAGES, type ErrorMessages } from './messages';
export type { AdminDirectory, RateLimiter, SecondFactorHttpOptions } from './options';
export type { HttpHeaders, HttpRequest, HttpResponse, SessionAccess } from './request';
export { errorResponse } from './response';
export type { RouteInfo, RouteMethod } from './route';
export { matchRoute, type RouteMatch } from './route-match';
export { PUBLIC_ROUTES, ROUTES } from './routes';
export { type SessionBinding, sessionAccess } from './session-binding';
export type { PendingLogin, SecondFactorSession, SignedIn } from './session-state';
