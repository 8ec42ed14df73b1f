/**
 * @module
 * What the adapter's own tests share: a service on a memory store with an injected clock, and a Koa app
 * on a loopback port that a test builds and closes after itself.
 */
import type { AddressInfo } from 'node:net';
import { createPolicy, selfService } from '@secondfactor/policy';
import { createTwoFactor, type TwoFactor } from '@secondfactor/service';
import { MemoryStore, SecretBox } from '@secondfactor/store';
import Koa from 'koa';
import { afterEach } from 'vitest';

/** A service over a memory store. */
export function service(clock?: () => number): TwoFactor {
  return createTwoFactor({
    store: new MemoryStore(),
    secretBox: new SecretBox({
      keys: { k1: crypto.getRandomValues(new Uint8Array(32)) },
      currentKeyId: 'k1',
    }),
    backupCodeKey: crypto.getRandomValues(new Uint8Array(32)),
    policy: createPolicy(selfService),
    issuer: 'Example',
    ...(clock === undefined ? {} : { clock }),
  });
}

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** Serves `app` on 127.0.0.1 until the test ends; answers its base URL. */
export async function serve(app: Koa): Promise<string> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  closers.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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
