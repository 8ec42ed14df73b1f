/**
 * @module
 * CSRF protection of every state-changing route (checklist I9), in one of two modes:
 *
 * - `token` (the default): a synchronizer token, random per session, kept in the session and sent back
 *   by the page in a header (`x-csrf-token`); `GET /csrf` and the login state hand it to the page.
 * - `origin`: the session cookie is `SameSite=Lax` or `Strict` (the host's session settings) and every
 *   state-changing request carries an `Origin` (or `Sec-Fetch-Site: same-origin`) naming an allowed origin.
 *
 * Bodies must be `application/json` in both modes, which a cross-site form cannot send.
 */
import { SecondFactorError, timingSafeEqual } from '@secondfactor/core';
import { type HttpHeaders, header } from './request';

/**
 * How state-changing routes are protected from cross-site requests.
 *
 * @example
 * ```ts
 * import type { CsrfOptions } from '@secondfactor/http';
 *
 * const csrf: CsrfOptions = { mode: 'origin', origins: ['https://app.example.com'] };
 * ```
 */
export type CsrfOptions =
  | {
      mode: 'token';
      /**
       * The request header carrying the token.
       * @default 'x-csrf-token'
       */
      header?: string | undefined;
    }
  | {
      mode: 'origin';
      /**
       * Origins allowed to send state-changing requests (`https://app.example.com`).
       * @default the origin of the request's own `Host` header
       */
      origins?: readonly string[] | undefined;
    };

const refused = (): SecondFactorError =>
  new SecondFactorError('csrf_failed', 'The request could not be verified. Reload the page and try again.');

/** A new synchronizer token: 32 random bytes, base64url. @internal */
export function newCsrfToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

const originOf = (value: string): string | null => {
  try {
    const url = new URL(value);
    return url.origin === 'null' ? null : url.origin;
  } catch {
    return null;
  }
};

/**
 * Throws `csrf_failed` unless the request passes `options`; `token` is the session's token (`undefined`
 * without a session). @internal
 */
export function checkCsrf(options: CsrfOptions, headers: HttpHeaders, token: string | undefined): void {
  if (options.mode === 'token') {
    const sent = header(headers, options.header ?? 'x-csrf-token');
    if (token === undefined || sent === undefined || !timingSafeEqual(sent, token)) throw refused();
    return;
  }
  const origin = header(headers, 'origin');
  if (origin === undefined) {
    if (header(headers, 'sec-fetch-site') === 'same-origin') return;
    throw refused();
  }
  const sent = originOf(origin);
  if (sent === null) throw refused();
  if (options.origins !== undefined) {
    if (!options.origins.some((allowed) => originOf(allowed) === sent)) throw refused();
    return;
  }
  const host = header(headers, 'host');
  if (host === undefined || new URL(sent).host !== host.toLowerCase()) throw refused();
}
