/**
 * @module
 * The options of the HTTP layer, shared by every adapter (`secondFactor(options)` of
 * `@secondfactor/express` and `@secondfactor/koa`), checked once when the adapter is made.
 */
import { SecondFactorError } from '@secondfactor/core';
import { type TelegramPush, type TwoFactor, type TwoFactorUser, telegramPush } from '@secondfactor/service';
import { DEFAULT_BODY_LIMIT } from './body';
import type { TrustProxy } from './client-address';
import type { ResolvedCookie, TrustedDeviceCookie } from './cookies';
import type { CsrfOptions } from './csrf';
import type { ErrorMessages } from './messages';
import type { HttpRequest } from './request';

/**
 * The host's answer to "who is whose admin": the admin endpoints act on a user only through it, so a
 * user id in a URL is never trusted by itself.
 *
 * @example
 * ```ts
 * import type { AdminDirectory } from '@secondfactor/http';
 *
 * const admin: AdminDirectory = {
 *   subject: async (actor, userId) => {
 *     const user = await db.users.find(userId);
 *     return user?.tenantId === actor.tenantId ? { id: user.id, roles: user.roles, tenantId: user.tenantId } : null;
 *   },
 *   users: async (actor, { cursor, limit }) => db.users.page({ tenantId: actor.tenantId, cursor, limit }),
 * };
 * ```
 */
export interface AdminDirectory {
  /**
   * The user `userId` when `actor` may administer him, `null` otherwise (answered like an unknown user).
   * The service's policy still decides each action.
   */
  subject(actor: TwoFactorUser, userId: string): TwoFactorUser | null | Promise<TwoFactorUser | null>;
  /** One page of the users `actor` administers, for the user list with its 2FA mark. */
  users(
    actor: TwoFactorUser,
    page: { cursor?: string | undefined; limit: number },
  ): Promise<{ users: readonly TwoFactorUser[]; next?: string | null | undefined }>;
}

/**
 * A host's rate limiter: called before each route with the client's key (its address, E7) and the
 * route's name; answers `null` to go on, or the milliseconds to wait (answered 429 with `Retry-After`).
 *
 * @example
 * ```ts
 * import type { RateLimiter } from '@secondfactor/http';
 *
 * const rateLimit: RateLimiter = ({ key }) => (buckets.take(key) ? null : 60_000);
 * ```
 */
export type RateLimiter = (attempt: { key: string; route: string }) => number | null | Promise<number | null>;

/**
 * What every adapter takes.
 *
 * @example
 * ```ts
 * import type { SecondFactorHttpOptions } from '@secondfactor/http';
 *
 * const options: SecondFactorHttpOptions = {
 *   twoFactor, // createTwoFactor(...) of @secondfactor/service
 *   accountName: (user) => users.emailOf(user.id),
 *   csrf: { mode: 'token' },
 * };
 * ```
 */
export interface SecondFactorHttpOptions {
  /** The service (`createTwoFactor` of `@secondfactor/service`). */
  twoFactor: TwoFactor;
  /**
   * CSRF protection of the state-changing routes; `false` only when the host's own middleware protects
   * them (documented in the README).
   * @default { mode: 'token' }
   */
  csrf?: CsrfOptions | false | undefined;
  /** The host's proxies; absent, `X-Forwarded-For` is ignored (E7). */
  trustProxy?: TrustProxy | undefined;
  /** Translations of error messages. */
  messages?: ErrorMessages | undefined;
  /**
   * Largest JSON body in bytes.
   * @default 16384
   */
  bodyLimit?: number | undefined;
  /**
   * The clock of guards and grace periods; give the service's.
   * @default Date.now
   */
  clock?: (() => number) | undefined;
  /**
   * The name the authenticator app and the backup-code file show for the user (his e-mail address).
   * @default the user's id
   */
  accountName?: ((user: TwoFactorUser) => string) | undefined;
  /** The trusted-device cookie. */
  trustedDeviceCookie?: TrustedDeviceCookie | undefined;
  /** The admin endpoints; without it they answer `not_found`. */
  admin?: AdminDirectory | undefined;
  /** A rate limiter keyed by the client's address. */
  rateLimit?: RateLimiter | undefined;
  /** Called with every error that is not a `SecondFactorError` (answered 500 `internal`), for the host's log. */
  onError?: ((error: unknown, request: HttpRequest) => void) | undefined;
}

/** The options with their defaults, and the push methods when the service has Telegram. @internal */
export interface HttpContext {
  twoFactor: TwoFactor;
  push: TelegramPush | undefined;
  csrf: CsrfOptions | false;
  trustProxy: TrustProxy | undefined;
  messages: ErrorMessages | undefined;
  bodyLimit: number;
  now: () => number;
  accountName: (user: TwoFactorUser) => string;
  cookie: ResolvedCookie;
  admin: AdminDirectory | undefined;
  rateLimit: RateLimiter | undefined;
  onError: ((error: unknown, request: HttpRequest) => void) | undefined;
}

const bad = (name: string, why: string): SecondFactorError =>
  new SecondFactorError('invalid_argument', `options.${name} ${why}`);

function pushOf(twoFactor: TwoFactor): TelegramPush | undefined {
  try {
    return telegramPush(twoFactor);
  } catch {
    return undefined;
  }
}

/** Checks the options and fills the defaults. @internal */
export function resolveHttpOptions(options: SecondFactorHttpOptions): HttpContext {
  if (typeof options !== 'object' || options === null) throw bad('', 'must be an object');
  const { twoFactor } = options;
  if (typeof twoFactor !== 'object' || twoFactor === null || typeof twoFactor.startLogin !== 'function') {
    throw bad('twoFactor', 'must be the service of createTwoFactor');
  }
  const csrf = options.csrf ?? { mode: 'token' };
  if (csrf !== false && (typeof csrf !== 'object' || (csrf.mode !== 'token' && csrf.mode !== 'origin'))) {
    throw bad('csrf', "must be { mode: 'token' }, { mode: 'origin' } or false");
  }
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  if (!Number.isSafeInteger(bodyLimit) || bodyLimit < 1024) throw bad('bodyLimit', 'must be at least 1024');
  for (const name of ['clock', 'accountName', 'rateLimit', 'onError'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') {
      throw bad(name, 'must be a function');
    }
  }
  const admin = options.admin;
  if (admin !== undefined && (typeof admin?.subject !== 'function' || typeof admin.users !== 'function')) {
    throw bad('admin', 'must have subject() and users()');
  }
  const cookie = options.trustedDeviceCookie ?? {};
  return {
    twoFactor,
    push: pushOf(twoFactor),
    csrf,
    trustProxy: options.trustProxy,
    messages: options.messages,
    bodyLimit,
    now: options.clock ?? Date.now,
    accountName: options.accountName ?? ((user) => user.id),
    cookie: {
      name: cookie.name ?? 'sf_trusted',
      secure: cookie.secure ?? true,
      path: cookie.path ?? '/',
    },
    admin,
    rateLimit: options.rateLimit,
    onError: options.onError,
  };
}
