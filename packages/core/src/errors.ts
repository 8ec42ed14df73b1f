/**
 * @module
 * The one error class of secondfactor: a stable string `code`, an HTTP status hint and a message
 * hosts may replace. Messages name the parameter at fault and never carry secret material.
 */

/**
 * Every code a {@link SecondFactorError} can carry. Codes are stable API: hosts switch on them,
 * adapters map them to HTTP statuses, translators key messages by them.
 *
 * @example
 * ```ts
 * import { isSecondFactorError, type SecondFactorErrorCode } from '@secondfactor/core';
 *
 * const messages: Partial<Record<SecondFactorErrorCode, string>> = {
 *   locked_out: 'Too many attempts. Try again later.',
 *   otp_invalid: 'That code is not right.',
 * };
 * function messageOf(error: unknown): string {
 *   return (isSecondFactorError(error) && messages[error.code]) || 'Something went wrong.';
 * }
 * ```
 */
export type SecondFactorErrorCode =
  // bad input or configuration (programmer errors)
  | 'invalid_argument'
  | 'invalid_secret'
  | 'invalid_base32'
  | 'invalid_uri'
  | 'invalid_policy'
  // verification outcomes a service turns into errors
  | 'otp_invalid'
  | 'otp_replayed'
  | 'otp_expired'
  | 'locked_out'
  | 'rate_limited'
  // state
  | 'not_enrolled'
  | 'already_enrolled'
  | 'enrollment_not_found'
  | 'enrollment_expired'
  | 'challenge_not_found'
  | 'challenge_expired'
  | 'challenge_consumed'
  | 'not_found'
  | 'conflict'
  // authorisation
  | 'policy_denied'
  | 'method_not_allowed'
  | 'fresh_auth_required'
  | 'unauthenticated'
  | 'csrf_failed'
  // storage and crypto at rest
  | 'decrypt_failed'
  | 'unknown_key'
  | 'store_unavailable'
  // delivery
  | 'delivery_failed'
  | 'internal';

/**
 * HTTP status hint for each code; the compiler rejects a code without one. Kept out of the error class
 * itself (see {@link httpStatusOf}) so browser bundles that never answer HTTP do not carry the table.
 *
 * @example
 * ```ts
 * import { ERROR_STATUS } from '@secondfactor/core';
 *
 * ERROR_STATUS.locked_out; // 429
 * ERROR_STATUS.invalid_argument; // 400
 * ```
 */
export const ERROR_STATUS: Readonly<Record<SecondFactorErrorCode, number>> = {
  invalid_argument: 400,
  invalid_secret: 400,
  invalid_base32: 400,
  invalid_uri: 400,
  invalid_policy: 500,
  otp_invalid: 401,
  otp_replayed: 401,
  otp_expired: 401,
  locked_out: 429,
  rate_limited: 429,
  not_enrolled: 409,
  already_enrolled: 409,
  enrollment_not_found: 404,
  enrollment_expired: 410,
  challenge_not_found: 404,
  challenge_expired: 410,
  challenge_consumed: 410,
  not_found: 404,
  conflict: 409,
  policy_denied: 403,
  method_not_allowed: 403,
  fresh_auth_required: 401,
  unauthenticated: 401,
  csrf_failed: 403,
  decrypt_failed: 500,
  unknown_key: 500,
  store_unavailable: 503,
  delivery_failed: 502,
  internal: 500,
} satisfies Record<SecondFactorErrorCode, number>;

/**
 * Options of {@link SecondFactorError}.
 *
 * @example
 * ```ts
 * import { SecondFactorError, type SecondFactorErrorOptions } from '@secondfactor/core';
 *
 * const options: SecondFactorErrorOptions = { status: 429, detail: { retryAfterSeconds: 30 } };
 * throw new SecondFactorError('rate_limited', 'too many attempts', options);
 * ```
 */
export interface SecondFactorErrorOptions {
  /** The underlying error. Must not carry secret material either. */
  cause?: unknown;
  /** Overrides the status hint of {@link ERROR_STATUS} for this error. */
  status?: number | undefined;
  /** Structured, non-secret detail for hosts (e.g. `{ retryAfterSeconds: 30 }`). */
  detail?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * The error every secondfactor package throws.
 *
 * @example
 * ```ts
 * import { SecondFactorError, base32Decode } from '@secondfactor/core';
 *
 * try {
 *   base32Decode('not base32!');
 * } catch (error) {
 *   if (error instanceof SecondFactorError && error.code === 'invalid_base32') {
 *     // show "the key contains characters that are not base32"
 *   }
 * }
 * ```
 */
export class SecondFactorError extends Error {
  /** Stable machine-readable code. */
  readonly code: SecondFactorErrorCode;
  /** An HTTP status given when the error was made; {@link httpStatusOf} falls back to {@link ERROR_STATUS}. */
  readonly status: number | undefined;
  /** Structured, non-secret detail. */
  readonly detail: Readonly<Record<string, unknown>> | undefined;

  constructor(code: SecondFactorErrorCode, message: string, options?: SecondFactorErrorOptions | null) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SecondFactorError';
    this.code = code;
    this.status = options?.status;
    this.detail = options?.detail ?? undefined;
  }

  /** A plain object for logs and JSON responses: `{ code, message }` plus `detail` when present. */
  toJSON(): { code: SecondFactorErrorCode; message: string; detail?: Readonly<Record<string, unknown>> } {
    return this.detail === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, detail: this.detail };
  }
}

/**
 * True for a {@link SecondFactorError}, also one thrown by another copy of the package
 * (two versions installed side by side), where `instanceof` would be false.
 *
 * @example
 * ```ts
 * import { httpStatusOf, isSecondFactorError, parseKeyUri } from '@secondfactor/core';
 *
 * try {
 *   parseKeyUri(req.body.uri);
 * } catch (error) {
 *   if (!isSecondFactorError(error)) throw error;
 *   res.status(httpStatusOf(error)).json(error.toJSON()); // 400 { code: 'invalid_uri', message: '…' }
 * }
 * ```
 */
export function isSecondFactorError(value: unknown): value is SecondFactorError {
  return (
    value instanceof SecondFactorError ||
    (value instanceof Error &&
      value.name === 'SecondFactorError' &&
      typeof (value as { code?: unknown }).code === 'string')
  );
}

/**
 * The HTTP status an adapter answers with for an error: the one it was made with, else the code's hint.
 *
 * @example
 * ```ts
 * import { httpStatusOf, SecondFactorError } from '@secondfactor/core';
 *
 * httpStatusOf(new SecondFactorError('locked_out', 'too many attempts')); // 429
 * ```
 */
export function httpStatusOf(error: SecondFactorError): number {
  return error.status ?? ERROR_STATUS[error.code];
}
