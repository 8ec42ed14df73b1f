/**
 * @module
 * A browser for the conformance suite: Node's fetch with a cookie jar, the session's CSRF token sent on
 * every state-changing request, and every answer kept so a test can search them all for secrets.
 */

/**
 * One answer, as the suite reads it.
 *
 * @example
 * ```ts
 * import type { Reply } from '@secondfactor/http/testing';
 *
 * const reply: Reply = await browser.get('/2fa/status');
 * ```
 */
export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body; `undefined` when the body is not JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: a test reads answers field by field.
  json: any;
}

/**
 * Options of one request.
 *
 * @example
 * ```ts
 * import type { RequestOptions } from '@secondfactor/http/testing';
 *
 * const options: RequestOptions = { body: { value: false }, csrf: false };
 * ```
 */
export interface RequestOptions {
  body?: unknown;
  /** A raw body sent as it is (with its own `content-type` in `headers`). */
  raw?: string | undefined;
  headers?: Record<string, string> | undefined;
  /** Send the session's CSRF token (non-GET requests). @default true */
  csrf?: boolean | undefined;
}

/**
 * A browser with its own cookies.
 *
 * @example
 * ```ts
 * import { Browser } from '@secondfactor/http/testing';
 *
 * const browser = new Browser('http://127.0.0.1:3000', []);
 * await browser.password('ada');
 * ```
 */
export class Browser {
  readonly cookies: Map<string, string> = new Map();
  csrfToken: string | undefined;
  /** The `Origin` sent with every state-changing request (for `csrf: { mode: 'origin' }`). */
  origin: string | undefined;

  constructor(
    readonly base: string,
    readonly replies: Reply[],
  ) {}

  /** Sends a request and keeps the cookies it sets. */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    }
    if (method !== 'GET' && options.csrf !== false && this.csrfToken !== undefined) {
      headers['x-csrf-token'] = this.csrfToken;
    }
    if (method !== 'GET' && this.origin !== undefined) headers.origin ??= this.origin;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(new URL(path, this.base), {
      method,
      headers,
      redirect: 'manual',
      ...(body === undefined ? {} : { body }),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/expires=thu, 01 jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    const reply: Reply = { status: response.status, headers: response.headers, text, json };
    this.replies.push(reply);
    return reply;
  }

  get(path: string, options?: RequestOptions): Promise<Reply> {
    return this.request('GET', path, options);
  }

  post(path: string, body?: unknown, options?: RequestOptions): Promise<Reply> {
    return this.request('POST', path, { ...options, body });
  }

  put(path: string, body?: unknown, options?: RequestOptions): Promise<Reply> {
    return this.request('PUT', path, { ...options, body });
  }

  patch(path: string, body?: unknown, options?: RequestOptions): Promise<Reply> {
    return this.request('PATCH', path, { ...options, body });
  }

  delete(path: string, options?: RequestOptions): Promise<Reply> {
    return this.request('DELETE', path, options);
  }

  /** The host's password step for `userId`; keeps the session's CSRF token. */
  async password(userId: string): Promise<Reply> {
    const reply = await this.post('/password', { userId });
    if (typeof reply.json?.csrfToken === 'string') this.csrfToken = reply.json.csrfToken;
    return reply;
  }

  /** The host's sign-out. */
  async logout(): Promise<Reply> {
    const reply = await this.post('/logout');
    this.csrfToken = undefined;
    return reply;
  }
}
