/**
 * @module
 * The Koa API: koa-session on an in-memory session store, the 2FA middleware under `/2fa`, and the app's
 * own routes: `POST /login` (the password, then the second step), `POST /logout`, and `GET /me`, which
 * only a session past the second factor reaches. Policy `accountAdmin` with backup codes: users choose
 * 2FA, an admin switches "Use 2FA" per user and resets a user's 2FA.
 */
import { isSecondFactorError } from '@secondfactor/core';
import { readJsonBody } from '@secondfactor/http';
import { secondFactor } from '@secondfactor/koa';
import { accountAdmin, createPolicy, type PolicyConfig } from '@secondfactor/policy';
import { createTwoFactor } from '@secondfactor/service';
import { MemoryStore, type SecondFactorStore, SecretBox } from '@secondfactor/store';
import Koa from 'koa';
import session from 'koa-session';
import { createUsers } from './users';

export interface ApiOptions {
  /** The SecretBox key: 32 random bytes (in production, from your secret store). */
  secretKey: Uint8Array;
  /** The backup-code key: 32 or more random bytes, kept outside the database. */
  backupCodeKey: Uint8Array;
  /** koa-session's cookie-signing keys. */
  cookieKeys: string[];
  /** @default new MemoryStore() */
  store?: SecondFactorStore | undefined;
  /** @default Date.now */
  clock?: (() => number) | undefined;
  /** Where errors that are not `SecondFactorError`s go. @default console.error */
  log?: ((error: unknown) => void) | undefined;
}

/**
 * `accountAdmin` with backup codes, which the preset leaves out: a set of ten issued at set-up (with no
 * "I saved them" step, to keep the API small), each usable once in place of the app's code.
 */
const POLICY: PolicyConfig = {
  ...accountAdmin,
  methods: { ...accountAdmin.methods, allowed: ['totp', 'backup_code'] },
  backupCodes: { issue: true, acknowledgementRequired: false },
};

/** koa-session's external store, in memory: the cookie holds only the session id. */
function memorySessions() {
  const data = new Map<string, unknown>();
  return {
    get: async (key: string) => data.get(key),
    set: async (key: string, value: unknown) => {
      data.set(key, value);
    },
    destroy: async (key: string) => {
      data.delete(key);
    },
  };
}

export function createApi(options: ApiOptions): Koa {
  const log = options.log ?? console.error;
  const users = createUsers();
  const clock = options.clock === undefined ? {} : { clock: options.clock };
  const twoFactor = createTwoFactor({
    store: options.store ?? new MemoryStore(),
    secretBox: new SecretBox({ keys: { k1: options.secretKey }, currentKeyId: 'k1' }),
    backupCodeKey: options.backupCodeKey,
    policy: createPolicy(POLICY),
    issuer: 'secondfactor koa-api',
    ...clock,
  });
  const twoFactorRoutes = secondFactor({
    twoFactor,
    admin: users.directory,
    accountName: (user) => `${user.id}@example.com`,
    onError: (error) => log(error),
    ...clock,
  });

  const app = new Koa();
  app.keys = options.cookieKeys;
  app.use(session({ store: memorySessions(), httpOnly: true, sameSite: 'lax' }, app));
  app.use(twoFactorRoutes.router);

  const routes: Record<string, (ctx: Koa.Context) => Promise<void>> = {
    'POST /login': async (ctx) => {
      const body = (await readJsonBody(ctx.req, ctx.headers)) as { username?: unknown; password?: unknown };
      const user = users.checkPassword(body?.username, body?.password);
      if (user === null) {
        ctx.status = 401;
        ctx.body = { error: 'wrong username or password' };
        return;
      }
      ctx.body = await twoFactorRoutes.startSecondFactor(ctx, user);
    },
    'POST /logout': async (ctx) => {
      await twoFactorRoutes.signOut(ctx);
      ctx.session = null;
      ctx.status = 204;
    },
    'GET /me': async (ctx) => {
      await twoFactorRoutes.requireSecondFactor()(ctx, async () => {
        ctx.body = { user: ctx.state.secondFactor.user };
      });
    },
  };
  app.use(async (ctx, next) => {
    const handle = routes[`${ctx.method} ${ctx.path}`];
    if (handle === undefined) return next();
    try {
      await handle(ctx);
    } catch (error) {
      if (!isSecondFactorError(error)) throw error;
      ctx.status = 400;
      ctx.body = { error: { code: error.code, message: error.message } };
    }
  });
  return app;
}
