/**
 * @module
 * An SMS provider that hands each message to the host's own gateway: a signed JSON `POST` to a
 * configured URL (see `verifySmsSignature` for the gateway's side).
 */

import { SecondFactorError } from '@secondfactor/core';
import { checkFunction, checkOptions, checkSmsText, deliveryFailed, invalidArgument } from '../checks';
import { assertE164 } from '../phone';
import type { SmsProvider } from '../types';
import { checkSmsSecret, SMS_SIGNATURE_HEADER, signSmsRequest } from './signature';

/**
 * The `fetch` the provider calls; the global one by default.
 *
 * @example
 * ```ts
 * import { type FetchLike, httpSmsProvider } from '@secondfactor/channels';
 *
 * const requests: { url: string; init: RequestInit }[] = [];
 * const fetch: FetchLike = async (url, init) => {
 *   requests.push({ url, init });
 *   return new Response(null, { status: 204 });
 * };
 * const sms = httpSmsProvider({ url: 'https://sms-gateway.internal/send', secret: 'a-test-secret-of-32-bytes-......', fetch });
 * ```
 */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/**
 * Options of {@link httpSmsProvider}.
 *
 * @example
 * ```ts
 * import { httpSmsProvider } from '@secondfactor/channels';
 *
 * const sms = httpSmsProvider({
 *   url: 'https://sms-gateway.internal/send',
 *   secret: process.env.SMS_SECRET as string,
 *   headers: { 'X-Api-Key': process.env.SMS_API_KEY as string },
 *   timeoutMs: 5000,
 * });
 * ```
 */
export interface HttpSmsProviderOptions {
  /**
   * The gateway endpoint. `https:`; plain `http:` only to a loopback host (`localhost`, `127.0.0.0/8`,
   * `[::1]`), since the body carries the code. No `user:password@`: pass credentials in `headers`.
   */
  url: string;
  /** The secret shared with the gateway, at least 16 bytes (32 random bytes recommended). */
  secret: string | Uint8Array;
  /** Extra request headers, e.g. an API key the gateway also wants. */
  headers?: Readonly<Record<string, string>> | undefined;
  /** @default globalThis.fetch */
  fetch?: FetchLike | undefined;
  /** Time source for the signed timestamp, in Unix milliseconds. @default Date.now */
  clock?: (() => number) | undefined;
  /** Abandon a request after this many milliseconds. @default 10000 */
  timeoutMs?: number | undefined;
}

const LOOPBACK = /^(?:localhost|127(?:\.[0-9]{1,3}){3}|\[::1\])$/;

function checkUrl(value: unknown): string {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw invalidArgument('options.url', 'must be an absolute URL');
  }
  // The URL is never quoted in an error: it may carry the gateway's credentials.
  if (
    typeof value !== 'string' ||
    !(url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname)))
  ) {
    throw invalidArgument('options.url', 'must be an https: URL (http: only for a loopback host)');
  }
  // fetch refuses such a URL; saying so here beats a "network" failure at the first send.
  if (url.username !== '' || url.password !== '') {
    throw invalidArgument('options.url', 'must not carry credentials; pass them in options.headers');
  }
  return value;
}

/**
 * Creates an {@link SmsProvider} that posts `{ "to", "text", "timestamp" }` (JSON, `timestamp` in Unix
 * seconds) to `url`, signed with `X-Signature: t=<timestamp>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
 * Redirects are not followed (a redirect would re-send the code elsewhere); any answer but 2xx is a
 * failed delivery. Neither the URL, the body nor the gateway's reply is put in an error.
 *
 * @throws {SecondFactorError} `invalid_argument` for bad options (here) or a number that is not E.164
 * (in `send`); `delivery_failed` (HTTP 502) from `send` when the gateway answers other than 2xx
 * (`detail: { channel: 'sms', status }`) or cannot be reached (`detail: { channel: 'sms', reason:
 * 'network' | 'timeout' }`).
 *
 * @example
 * ```ts
 * import { httpSmsProvider, smsCodeText } from '@secondfactor/channels';
 *
 * const sms = httpSmsProvider({ url: 'https://sms-gateway.internal/send', secret: process.env.SMS_SECRET as string });
 * await sms.send('+15551234567', smsCodeText({ code: '493021', issuer: 'Acme', purpose: 'login', ttlSeconds: 600 }));
 * ```
 */
export function httpSmsProvider(options: HttpSmsProviderOptions): SmsProvider {
  const opts = checkOptions<HttpSmsProviderOptions>(options);
  const url = checkUrl(opts.url);
  const secret = checkSmsSecret(opts.secret, 'options.secret');
  const extra = checkOptions<Record<string, string>>(opts.headers, 'options.headers');
  for (const [name, value] of Object.entries(extra)) {
    if (typeof value !== 'string') throw invalidArgument(`options.headers.${name}`, 'must be a string');
  }
  const doFetch = checkFunction<FetchLike>(opts.fetch, 'options.fetch', (u, init) =>
    globalThis.fetch(u, init),
  );
  const clock = checkFunction<() => number>(opts.clock, 'options.clock', Date.now);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1)
    throw invalidArgument('options.timeoutMs', 'must be a whole number ≥ 1');

  return {
    async send(to, text) {
      assertE164(to, 'to');
      checkSmsText(text);
      const now = clock();
      if (!Number.isFinite(now) || now < 0)
        throw invalidArgument('options.clock()', 'must return Unix milliseconds');
      const timestamp = Math.floor(now / 1000);
      const body = JSON.stringify({ to, text, timestamp });
      let response: Response;
      try {
        response = await doFetch(url, {
          method: 'POST',
          headers: {
            ...extra,
            'Content-Type': 'application/json',
            [SMS_SIGNATURE_HEADER]: signSmsRequest(secret, timestamp, body),
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        if (error instanceof SecondFactorError) throw error;
        const name = (error as { name?: unknown } | null)?.name;
        const reason = name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network';
        throw deliveryFailed('sms', 'the SMS gateway could not be reached', { reason });
      }
      // Drained so the connection can be reused; the reply itself is not read into any error.
      await response.arrayBuffer().catch(() => undefined);
      if (response.status < 200 || response.status > 299) {
        throw deliveryFailed('sms', 'the SMS gateway refused the message', { status: response.status });
      }
    },
  };
}
