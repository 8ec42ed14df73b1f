/**
 * @module
 * The host app the conformance suite talks to, on whichever Koa the test file passes in: sessions by
 * koa-session on an external store, a password step that calls `startSecondFactor`, a sign-out, two
 * guarded routes (on @koa/router), and the 2FA middleware serving `/2fa`, mounted on the app or handed
 * `/2fa/*rest` by @koa/router, with or without an app-wide body parser in front.
 */
import type { AddressInfo } from 'node:net';
import bodyParser from '@koa/bodyparser';
import Router from '@koa/router';
import { readJsonBody } from '@secondfactor/http';
import { type ConformanceApp, type ConformanceHost, RECENT_MS } from '@secondfactor/http/testing';
import { secondFactor } from '@secondfactor/koa';
import type Koa from 'koa';
import session from 'koa-session';

export const SESSION_COOKIE = 'sf.sess';

/** koa-session's external store, in memory: the cookie holds only the session id. */
export function memoryStore(data: Map<string, unknown> = new Map()) {
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

/** How the host wires the 2FA middleware. */
export interface AppShape {
  /** `app`: `app.use(router)`; `koa-router`: `router.all('/2fa/*rest', router)`. @default 'app' */
  mount?: 'app' | 'koa-router';
  /** @koa/bodyparser app-wide, so the adapter gets bodies already parsed. @default false */
  bodyParser?: boolean;
}

/** Starts the host app of `host` on 127.0.0.1 with `KoaClass`. */
export async function startApp(
  KoaClass: typeof Koa,
  host: ConformanceHost,
  shape: AppShape = {},
): Promise<ConformanceApp> {
  const app = new KoaClass();
  app.use(
    session(
      {
        key: SESSION_COOKIE,
        store: memoryStore(),
        // Unsigned, so that the suite's fixation check (I4), which replays the old id cookie alone,
        // reaches the store: the old id must be gone there, not merely lack its signature.
        signed: false,
        httpOnly: true,
        sameSite: 'lax',
        secure: false,
      },
      app,
    ),
  );
  if (shape.bodyParser === true) app.use(bodyParser());
  const twoFactorRoutes = secondFactor(host.options);
  const router = new Router();
  if (shape.mount === 'koa-router') router.all('/2fa/*rest', twoFactorRoutes.router);
  else app.use(twoFactorRoutes.router);

  router.post('/password', async (ctx) => {
    const body = (ctx.request.body ?? (await readJsonBody(ctx.req, ctx.headers))) as
      | { userId?: unknown }
      | undefined;
    const user = host.users.get(String(body?.userId));
    if (user === undefined) {
      ctx.status = 401;
      ctx.body = { error: 'wrong password' };
      return;
    }
    const { email, ...known } = user;
    ctx.body = await twoFactorRoutes.startSecondFactor(ctx, known, email === undefined ? {} : { email });
  });
  router.post('/logout', (ctx) => {
    ctx.session = null;
    ctx.status = 204;
  });
  router.get('/protected', twoFactorRoutes.requireSecondFactor(), (ctx) => {
    ctx.body = { ok: true };
  });
  router.get('/sensitive', twoFactorRoutes.requireRecentSecondFactor(RECENT_MS), (ctx) => {
    ctx.body = { ok: true };
  });
  app.use(router.routes());

  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
