/**
 * @module
 * The error answer of every route: one JSON shape, `{ "error": { "code", "message", "detail"? } }`, one
 * status per code (the `SecondFactorError` codes through `ERROR_STATUS` of `@secondfactor/core`, the
 * HTTP layer's own codes through {@link HTTP_ERROR_STATUS}), messages replaceable per code (i18n).
 */
import { ERROR_STATUS, isSecondFactorError, type SecondFactorErrorCode } from '@secondfactor/core';

/**
 * The codes only the HTTP layer answers with, beside the `SecondFactorError` codes of the service:
 *
 * - `second_factor_required`: the session passed only the password (or its second factor was revoked);
 * - `enrollment_required`: the user must set up 2FA first (`detail.deferrable`,
 *   `detail.graceRemainingSeconds` while a grace period runs);
 * - `recent_second_factor_required`: the route asks for a second factor passed within `detail.maxAgeMs`;
 * - `payload_too_large`: the body is over the size limit (nothing was read further, nothing written).
 *
 * @example
 * ```ts
 * import type { HttpOnlyErrorCode } from '@secondfactor/http';
 *
 * const code: HttpOnlyErrorCode = 'enrollment_required';
 * ```
 */
export type HttpOnlyErrorCode =
  | 'second_factor_required'
  | 'enrollment_required'
  | 'recent_second_factor_required'
  | 'payload_too_large';

/**
 * Every code an error answer of the HTTP layer carries.
 *
 * @example
 * ```ts
 * import type { HttpErrorCode } from '@secondfactor/http';
 *
 * const code: HttpErrorCode = 'second_factor_required';
 * ```
 */
export type HttpErrorCode = SecondFactorErrorCode | HttpOnlyErrorCode;

/**
 * The status of each HTTP-only code; the compiler rejects a code without one. The others come from
 * `ERROR_STATUS` of `@secondfactor/core`.
 *
 * @example
 * ```ts
 * import { HTTP_ERROR_STATUS } from '@secondfactor/http';
 *
 * HTTP_ERROR_STATUS.second_factor_required; // 401
 * ```
 */
export const HTTP_ERROR_STATUS: Readonly<Record<HttpOnlyErrorCode, number>> = {
  second_factor_required: 401,
  enrollment_required: 401,
  recent_second_factor_required: 401,
  payload_too_large: 413,
} satisfies Record<HttpOnlyErrorCode, number>;

/**
 * The status an error code answers with: one per code, `HTTP_ERROR_STATUS` first, then `ERROR_STATUS`.
 *
 * @example
 * ```ts
 * import { statusOf } from '@secondfactor/http';
 *
 * statusOf('locked_out'); // 429
 * ```
 */
export function statusOf(code: HttpErrorCode): number {
  return code in HTTP_ERROR_STATUS
    ? HTTP_ERROR_STATUS[code as HttpOnlyErrorCode]
    : ERROR_STATUS[code as SecondFactorErrorCode];
}

/**
 * The `error` member of an error answer.
 *
 * @example
 * ```ts
 * import type { ErrorBody } from '@secondfactor/http';
 *
 * const { error }: { error: ErrorBody } = await response.json();
 * if (error.code === 'locked_out') showWait(error.detail?.retryAfterMs);
 * ```
 */
export interface ErrorBody {
  code: HttpErrorCode;
  message: string;
  detail?: Readonly<Record<string, unknown>> | undefined;
}

/** An error of the HTTP layer itself: a guard's refusal or an oversized body. @internal */
export class HttpError extends Error {
  readonly code: HttpErrorCode;
  readonly detail: Readonly<Record<string, unknown>> | undefined;

  constructor(code: HttpErrorCode, message: string, detail?: Readonly<Record<string, unknown>>) {
    super(message);
    this.name = 'HttpError';
    this.code = code;
    this.detail = detail;
  }
}

/** The code, message and detail of a thrown value; anything unknown is `internal`, told nothing. @internal */
export function errorBodyOf(error: unknown): ErrorBody {
  if (error instanceof HttpError || isSecondFactorError(error)) {
    return error.detail === undefined
      ? { code: error.code, message: error.message }
      : { code: error.code, message: error.message, detail: error.detail };
  }
  return { code: 'internal', message: 'Something went wrong. Try again later.' };
}
