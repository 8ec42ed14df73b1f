/**
 * @module
 * One call to the Telegram Bot API: `POST <apiBaseUrl>/bot<token>/<method>` with a JSON body, answered by
 * `{ ok, result }` or `{ ok: false, error_code, description }`. The bot token is part of the URL's path, so
 * no error made here quotes the URL, the request or the underlying exception: only the method and what the
 * Bot API said.
 */

import { SecondFactorError } from '@secondfactor/core';
import { deliveryFailed } from '../checks';
import type { FetchLike } from '../sms/http';

/** What a call needs: the built base (`<apiBaseUrl>/bot<token>`) and the token to scrub from replies. */
export interface _BotApiTarget {
  base: string;
  token: string;
  fetch: FetchLike;
  timeoutMs: number;
}

/** Longest Bot API `description` kept in an error's detail. */
const MAX_DESCRIPTION = 200;

function failure(method: string, summary: string, detail: Record<string, unknown>): SecondFactorError {
  return deliveryFailed('telegram', `Telegram Bot API ${method} failed: ${summary}`, { method, ...detail });
}

/**
 * The Bot API's own words, for operators ("Forbidden: bot was blocked by the user"), with the token and
 * its secret half cut out in case a proxy or a misconfigured server echoes the request line.
 */
function scrub(description: unknown, token: string): string | undefined {
  if (typeof description !== 'string') return undefined;
  let text = description;
  const secretHalf = token.slice(token.indexOf(':') + 1);
  for (const part of [token, secretHalf]) if (part.length > 0) text = text.split(part).join('[token]');
  return text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION)}…` : text;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Calls `method` with `params` and returns `result` as `read` understands it.
 *
 * @throws {SecondFactorError} `delivery_failed` (detail `channel: 'telegram'`, `method`, `reason`) when the
 * request cannot be made (`reason` `network` or `timeout`), the Bot API answers
 * non-2xx or `ok: false` (detail `errorCode`, `status`, `description`, `retryAfterSeconds`), or the reply is
 * not what the method returns (detail `reason: 'malformed_response'`).
 */
export async function _callBotApi<T>(
  target: _BotApiTarget,
  method: string,
  params: Record<string, unknown>,
  read: (result: unknown) => T | undefined,
): Promise<T> {
  let response: Response;
  try {
    response = await target.fetch(`${target.base}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
      // A redirect is answered as an error, not followed: the request line carries the token.
      redirect: 'manual',
      signal: AbortSignal.timeout(target.timeoutMs),
    });
  } catch (error) {
    if (error instanceof SecondFactorError) throw error;
    // The exception itself is dropped on purpose: fetch errors quote the URL, and the URL holds the token.
    const name = (error as { name?: unknown } | null)?.name;
    const reason = name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network';
    throw failure(method, 'the request could not be made', { reason });
  }
  let reply: unknown;
  try {
    reply = await response.json();
  } catch {
    reply = undefined;
  }
  const status = response.status;
  if (!response.ok || !isRecord(reply) || reply.ok !== true) {
    const body = isRecord(reply) ? reply : {};
    const errorCode = typeof body.error_code === 'number' ? body.error_code : undefined;
    const description = scrub(body.description, target.token);
    const retryAfter = isRecord(body.parameters) ? body.parameters.retry_after : undefined;
    throw failure(method, errorCode === undefined ? `HTTP ${status}` : `error ${errorCode}`, {
      reason: 'api_error',
      status,
      ...(errorCode === undefined ? {} : { errorCode }),
      ...(description === undefined ? {} : { description }),
      ...(typeof retryAfter === 'number' ? { retryAfterSeconds: retryAfter } : {}),
    });
  }
  const result = read(reply.result);
  if (result === undefined) {
    throw failure(method, 'unexpected reply', { reason: 'malformed_response', status });
  }
  return result;
}

/** Reads `message_id` from a `Message` result. */
export function _readMessageId(result: unknown): number | undefined {
  return isRecord(result) && Number.isSafeInteger(result.message_id)
    ? (result.message_id as number)
    : undefined;
}

/** Accepts any result (`true` for `answerCallbackQuery`, a `Message` or `true` for `editMessageText`). */
export function _readAny(result: unknown): true | undefined {
  return result === undefined ? undefined : true;
}
