/**
 * @module
 * The webhook's proof of origin: Telegram sends the `secret_token` given to `setWebhook` in the
 * `X-Telegram-Bot-Api-Secret-Token` header of every update; anything else may have been posted by anyone.
 */

import { SecondFactorError, timingSafeEqual } from '@secondfactor/core';

/**
 * The header Telegram puts the webhook's `secret_token` in.
 *
 * @example
 * ```ts
 * import { TELEGRAM_SECRET_HEADER } from '@secondfactor/channels';
 *
 * TELEGRAM_SECRET_HEADER; // 'x-telegram-bot-api-secret-token'
 * ```
 */
export const TELEGRAM_SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/**
 * Request headers as a host has them: a Fetch `Headers` object, or Node's `IncomingMessage.headers`
 * (any letter case; a header sent twice arrives as an array and is refused).
 *
 * @example
 * ```ts
 * import type { TelegramHeaders } from '@secondfactor/channels';
 *
 * const headers: TelegramHeaders = { 'x-telegram-bot-api-secret-token': 'the-secret-given-to-setWebhook' };
 * ```
 */
export type TelegramHeaders =
  | Pick<Headers, 'get'>
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/** Secret tokens the Bot API accepts are 1–256 of these; we ask for at least 16 so it cannot be guessed. */
const SECRET = /^[A-Za-z0-9_-]{16,256}$/;

/** Throws `invalid_argument` unless `value` is a usable webhook secret. */
export function _checkWebhookSecret(value: unknown): string {
  if (typeof value !== 'string' || !SECRET.test(value)) {
    throw new SecondFactorError(
      'invalid_argument',
      'options.webhookSecret must be 16-256 characters of A-Z a-z 0-9 _ -',
    );
  }
  return value;
}

function headerValue(headers: TelegramHeaders, name: string): unknown {
  if (typeof headers.get === 'function') return (headers as Pick<Headers, 'get'>).get(name) ?? undefined;
  const record = headers as Readonly<Record<string, unknown>>;
  // Names differing in case only are one header sent twice: like a repeated header, no value at all.
  const found = Object.keys(record).filter((key) => key.toLowerCase() === name);
  return found.length === 1 ? record[found[0] as string] : undefined;
}

/**
 * Throws `unauthenticated` unless `headers` carry exactly `secret`, compared in constant time
 * (the comparison's time depends on the lengths only).
 */
export function _verifyWebhookSecret(headers: unknown, secret: string): void {
  if (typeof headers !== 'object' || headers === null) {
    throw new SecondFactorError('invalid_argument', 'headers must be a Headers object or a header record');
  }
  const value = headerValue(headers as TelegramHeaders, TELEGRAM_SECRET_HEADER);
  // Compare even when the header is absent, so a missing header costs what a wrong one does.
  const matches = timingSafeEqual(typeof value === 'string' ? value : '', secret);
  if (typeof value !== 'string' || !matches) {
    throw new SecondFactorError('unauthenticated', 'the webhook secret token is missing or wrong');
  }
}
