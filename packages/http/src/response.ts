/**
 * @module
 * Building answers: JSON, no content, a text file, and the error answer (status by code, `Retry-After`
 * on `locked_out` and `rate_limited`, checklist E8, the message translated).
 */
import { retryAfterMs } from '@secondfactor/service';
import { type ErrorBody, errorBodyOf, statusOf } from './errors';
import { type ErrorMessages, translate } from './messages';
import type { HttpResponse } from './request';

const JSON_TYPE = 'application/json; charset=utf-8';

/** A JSON answer. @internal */
export function json(status: number, value: unknown): HttpResponse {
  return { status, headers: { 'content-type': JSON_TYPE }, body: JSON.stringify(value) };
}

/** 204 No Content. @internal */
export function noContent(): HttpResponse {
  return { status: 204, headers: {}, body: null };
}

/** A text file to save (`Content-Disposition: attachment`). @internal */
export function textFile(fileName: string, text: string): HttpResponse {
  const ascii = fileName.replace(/[^\w.-]/g, '_');
  return {
    status: 200,
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    },
    body: text,
  };
}

/**
 * The error answer of a thrown value: `{ "error": { code, message, detail? } }` with the code's status,
 * and `Retry-After` (whole seconds, rounded up) when the error says how long to wait.
 *
 * @example
 * ```ts
 * import { SecondFactorError } from '@secondfactor/core';
 * import { errorResponse } from '@secondfactor/http';
 *
 * const answer = errorResponse(new SecondFactorError('locked_out', 'Too many attempts.', { detail: { retryAfterMs: 30_000 } }));
 * // answer.status === 429, answer.headers['retry-after'] === '30'
 * ```
 */
export function errorResponse(error: unknown, messages?: ErrorMessages): HttpResponse {
  const body: ErrorBody = translate(errorBodyOf(error), messages);
  const response = json(statusOf(body.code), { error: body });
  const wait = retryAfterMs(error);
  if (wait !== undefined) response.headers['retry-after'] = String(Math.max(1, Math.ceil(wait / 1000)));
  return response;
}
