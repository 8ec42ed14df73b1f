/**
 * @module
 * The messages of error answers, replaceable per code (i18n): a host passes a table or a function; a
 * code it does not translate keeps the default (the service's English message, or the HTTP layer's).
 */
import type { ErrorBody, HttpErrorCode } from './errors';

/**
 * Translations of error messages: a table by code, or a function of the error (its `detail.reason`
 * separates outcomes that share a code) answering `undefined` to keep the default.
 *
 * @example
 * ```ts
 * import type { ErrorMessages } from '@secondfactor/http';
 *
 * const messages: ErrorMessages = { otp_invalid: 'Code ungültig!', locked_out: 'Zu viele Versuche.' };
 * ```
 */
export type ErrorMessages =
  | Readonly<Partial<Record<HttpErrorCode, string>>>
  | ((error: ErrorBody) => string | undefined);

/**
 * The default messages of the HTTP layer's own answers (the service's errors keep their own).
 *
 * @example
 * ```ts
 * import { DEFAULT_HTTP_MESSAGES } from '@secondfactor/http';
 *
 * DEFAULT_HTTP_MESSAGES.second_factor_required; // 'Confirm your sign-in with your second factor.'
 * ```
 */
export const DEFAULT_HTTP_MESSAGES: Readonly<Record<string, string>> = Object.freeze({
  unauthenticated: 'Sign in with your password first.',
  second_factor_required: 'Confirm your sign-in with your second factor.',
  enrollment_required: 'Set up two-factor authentication to continue.',
  recent_second_factor_required: 'Confirm it is you with your second factor again.',
  payload_too_large: 'The request is too large.',
  csrf_failed: 'The request could not be verified. Reload the page and try again.',
  not_found: 'Not found.',
});

/** The body with its message translated. @internal */
export function translate(body: ErrorBody, messages: ErrorMessages | undefined): ErrorBody {
  const translated = typeof messages === 'function' ? messages(body) : messages?.[body.code];
  return typeof translated === 'string' ? { ...body, message: translated } : body;
}
