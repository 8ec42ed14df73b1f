/**
 * @module
 * The bench's client side of both login flows, through Node's fetch, outside any timed part: a pending
 * login on our host (its password step) and on better-auth (sign up, enable TOTP, sign in), and the
 * verify request each side's timed part sends for a pending login, with a right or a wrong code.
 */
import { randomBytes } from 'node:crypto';
import { base32Decode, createTotp, type PreparedTotp, parseKeyUri } from '@secondfactor/core';
import { STEP_MS } from './service-setup';

/** Our host's session cookie. */
export const SESSION_COOKIE = 'sf.sid';
/** Where better-auth answers, below its app's root. */
export const BETTER_AUTH_BASE = '/api/auth';

/** An answer: status, parsed JSON body (if any), and the cookies it set. */
export interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly cookies: Map<string, string>;
}

/** Sends one request. */
export async function send(
  url: string,
  method: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Reply> {
  const response = await fetch(url, {
    method,
    headers,
    redirect: 'manual',
    ...(body === undefined ? {} : { body }),
  });
  const cookies = new Map<string, string>();
  for (const line of response.headers.getSetCookie()) {
    const [pair = ''] = line.split(';');
    const eq = pair.indexOf('=');
    cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed, cookies };
}

const JSON_TYPE = { 'content-type': 'application/json' };

/** A request of a timed part: its headers and body. */
export interface Prepared {
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** A code of `app` that matches no step within three of the one at `at`. */
export function wrongCode(app: PreparedTotp, at: number): string {
  const near = new Set(Array.from({ length: 7 }, (_, k) => app.generate(at + (k - 3) * STEP_MS)));
  let code = Number(app.generate(at));
  do code = (code + 1) % 1_000_000;
  while (near.has(String(code).padStart(6, '0')));
  return String(code).padStart(6, '0');
}

/** A pending login on our host: the session cookie and its CSRF token. */
export interface OursPending {
  readonly cookie: string;
  readonly csrf: string;
}

/** The host's password step for `userId`: it must answer `challenge`. */
export async function oursPending(url: string, userId: string): Promise<OursPending> {
  const reply = await send(`${url}/password`, 'POST', JSON_TYPE, JSON.stringify({ userId }));
  const answer = reply.body as { state?: string; csrfToken?: string };
  const session = reply.cookies.get(SESSION_COOKIE);
  if (reply.status !== 200 || answer.state !== 'challenge' || !answer.csrfToken || !session) {
    throw new Error(`password step of ${userId}: ${reply.status} ${JSON.stringify(reply.body)}`);
  }
  return { cookie: `${SESSION_COOKIE}=${session}`, csrf: answer.csrfToken };
}

/** `POST /2fa/login/verify` of a pending login with `code`. */
export function oursVerify(pending: OursPending, code: string): Prepared {
  return {
    headers: { ...JSON_TYPE, cookie: pending.cookie, 'x-csrf-token': pending.csrf },
    body: JSON.stringify({ method: 'totp', code }),
  };
}

/** The authenticator app of a key typed by hand (spaces between groups). */
export const appOf = (manualKey: string): PreparedTotp =>
  createTotp(base32Decode(manualKey.replaceAll(' ', '')));

/** A pending better-auth login: its signed two-factor cookie, and the user's authenticator app. */
export interface BetterAuthPending {
  readonly cookie: string;
  readonly app: PreparedTotp;
}

const PASSWORD = 'bench-password-not-secret';

/**
 * A new better-auth user with TOTP on, signed in up to the second step: `sign-up/email`, `two-factor/enable`
 * (its URI gives the app), `sign-in/email` (answered `twoFactorRedirect`, with the two-factor cookie).
 */
export async function betterAuthPending(url: string): Promise<BetterAuthPending> {
  const base = `${url}${BETTER_AUTH_BASE}`;
  const headers = { ...JSON_TYPE, origin: url };
  const email = `bench-${randomBytes(8).toString('hex')}@example.com`;
  const signUp = await send(
    `${base}/sign-up/email`,
    'POST',
    headers,
    JSON.stringify({ email, password: PASSWORD, name: 'Bench' }),
  );
  const session = [...signUp.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  if (signUp.status !== 200 || session === '')
    throw new Error(`better-auth sign-up: ${signUp.status} ${JSON.stringify(signUp.body)}`);
  const enable = await send(
    `${base}/two-factor/enable`,
    'POST',
    { ...headers, cookie: session },
    JSON.stringify({ password: PASSWORD }),
  );
  const uri = (enable.body as { totpURI?: string }).totpURI;
  if (enable.status !== 200 || uri === undefined)
    throw new Error(`better-auth enable: ${enable.status} ${JSON.stringify(enable.body)}`);
  const key = parseKeyUri(uri);
  if (key.type !== 'totp') throw new Error(`better-auth gave a ${key.type} URI`);
  const app = createTotp(key.secret, { algorithm: key.algorithm, digits: key.digits, period: key.period });
  const signIn = await send(
    `${base}/sign-in/email`,
    'POST',
    headers,
    JSON.stringify({ email, password: PASSWORD }),
  );
  const pending = [...signIn.cookies].filter(([name, value]) => name.endsWith('two_factor') && value !== '');
  if (
    signIn.status !== 200 ||
    !(signIn.body as { twoFactorRedirect?: boolean }).twoFactorRedirect ||
    pending.length !== 1
  ) {
    throw new Error(`better-auth sign-in: ${signIn.status} ${JSON.stringify(signIn.body)}`);
  }
  return { cookie: pending.map(([name, value]) => `${name}=${value}`).join('; '), app };
}

/** `POST /api/auth/two-factor/verify-totp` of a pending login with `code`, from the app's origin. */
export function betterAuthVerify(url: string, pending: BetterAuthPending, code: string): Prepared {
  return { headers: { ...JSON_TYPE, cookie: pending.cookie, origin: url }, body: JSON.stringify({ code }) };
}

/** Runs `fn` over `items`, `limit` at a time, keeping the order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const k = next++;
      results[k] = await fn(items[k]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
