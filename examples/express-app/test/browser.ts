/**
 * @module
 * A browser for the tests: a cookie jar over Node's fetch that follows redirects itself (so every hop's
 * cookies are kept), reads pages as text, and calls the JSON endpoints as the pages' script does, with
 * the page's CSRF token in `x-csrf-token`.
 */

export interface Answer {
  status: number;
  url: string;
  headers: Headers;
  text: string;
  json: <T = Record<string, unknown>>() => T;
}

export class Browser {
  readonly cookies = new Map<string, string>();
  /** The CSRF token of the last page that had one. */
  csrf = '';

  constructor(readonly base: string) {}

  private keep(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const gone = attributes.some(
        (a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a),
      );
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(at + 1).trim());
    }
  }

  async request(
    method: string,
    path: string,
    init: { body?: string; type?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    let url = new URL(path, this.base).toString();
    let verb = method;
    let body = init.body;
    for (let hop = 0; hop < 10; hop++) {
      const response = await fetch(url, {
        method: verb,
        redirect: 'manual',
        headers: {
          cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
          ...(body === undefined ? {} : { 'content-type': init.type ?? 'application/json' }),
          ...init.headers,
        },
        body: body ?? null,
      });
      this.keep(response.headers);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location !== null) {
        url = new URL(location, url).toString();
        verb = 'GET';
        body = undefined;
        continue;
      }
      const text = await response.text();
      const token = /<meta name="csrf-token" content="([^"]*)">/.exec(text)?.[1];
      if (token) this.csrf = token;
      return { status: response.status, url, headers: response.headers, text, json: () => JSON.parse(text) };
    }
    throw new Error(`too many redirects from ${path}`);
  }

  /** A page, as a person opening it. */
  page(path: string): Promise<Answer> {
    return this.request('GET', path);
  }

  /** A form the page posts (sign-in, sign-out). */
  form(path: string, fields: Record<string, string>): Promise<Answer> {
    return this.request('POST', path, {
      body: new URLSearchParams(fields).toString(),
      type: 'application/x-www-form-urlencoded',
    });
  }

  /** A JSON call of the pages' script. */
  call(method: string, path: string, body?: unknown): Promise<Answer> {
    return this.request(method, path, {
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      headers: { 'x-csrf-token': this.csrf, accept: 'application/json' },
    });
  }

  /** Signs in with the password; answers the page the sign-in led to. */
  signIn(username: string, password = `${username}-demo`): Promise<Answer> {
    return this.form('/login', { username, password });
  }
}

/** The first match of `pattern`'s group in `text`, or an error naming what was looked for. */
export function find(text: string, pattern: RegExp, what: string): string {
  const match = pattern.exec(text)?.[1];
  if (match === undefined) throw new Error(`no ${what} on the page`);
  return match;
}
