/**
 * @module
 * What the adapter's own tests share: a Koa app on a loopback port that a test builds and that is closed
 * after it, and a host app that tells its own answers from the middleware's.
 */
import { serveOnLoopback } from '@secondfactor/http/testing';
import Koa from 'koa';
import { afterEach } from 'vitest';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** Serves `app` on 127.0.0.1 until the test ends; answers its base URL. */
export async function serve(app: Koa): Promise<string> {
  const served = await serveOnLoopback(app.callback());
  closers.push(served.close);
  return served.url;
}

/** A Koa app whose requests that nothing answered end with 418 `host`, to tell them from the adapter's. */
export function hostApp(...middleware: Koa.Middleware[]): Koa {
  const app = new Koa();
  for (const each of middleware) app.use(each);
  app.use((ctx) => {
    ctx.status = 418;
    ctx.body = 'host';
  });
  return app;
}
