/**
 * @module
 * The host app the conformance suites talk to, on whichever Koa the test file passes in: sessions by
 * koa-session on an external store (or the suite's own through `SessionBinding`), the password step and
 * the guarded routes of `hostRoutes` (on @koa/router), a sign-out, and the 2FA middleware serving `/2fa`,
 * mounted on the app or handed `/2fa/*rest` by @koa/router, with or without an app-wide body parser in
 * front.
 */
import bodyParser from '@koa/bodyparser';
import Router from '@koa/router';
import { readJsonBody } from '@secondfactor/http';
import {
  type ConformanceApp,
  type ConformanceHost,
  GUARDED_ANSWER,
  hostRoutes,
  serveOnLoopback,
} from '@secondfactor/http/testing';
import { type SessionBinding, secondFactor } from '@secondfactor/koa';
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
  /** A session of the host's own instead of koa-session. */
  session?: SessionBinding;
}

/** Starts the host app of `host` on 127.0.0.1 with `KoaClass`. */
export async function startApp(
  KoaClass: typeof Koa,
  host: ConformanceHost,
  shape: AppShape = {},
): Promise<ConformanceApp> {
  const app = new KoaClass();
  if (shape.session === undefined) {
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
  }
  if (shape.bodyParser === true) app.use(bodyParser());
  const twoFactorRoutes = secondFactor({
    ...host.options,
    ...(shape.session === undefined ? {} : { session: shape.session }),
  });
  const routes = hostRoutes(host, twoFactorRoutes);
  const router = new Router();
  if (shape.mount === 'koa-router') router.all('/2fa/*rest', twoFactorRoutes.router);
  else app.use(twoFactorRoutes.router);

  router.post('/password', async (ctx) => {
    const answer = await routes.password(ctx, ctx.request.body ?? (await readJsonBody(ctx.req, ctx.headers)));
    ctx.status = answer.status;
    ctx.body = answer.body;
  });
  router.post('/logout', (ctx) => {
    ctx.session = null;
    ctx.status = 204;
  });
  for (const { path, guard } of routes.guarded) {
    router.get(path, guard, (ctx) => {
      ctx.body = GUARDED_ANSWER;
    });
  }
  app.use(router.routes());
  return serveOnLoopback(app.callback());
}
