/**
 * The route inventory of the Koa middleware (checklist I7): it answers every route of the table, with
 * the table's guard, and passes every other method and path on to the host, so the middleware serves
 * the table and nothing else. Koa has no route list to read, so each is asked over HTTP.
 */
import { PUBLIC_ROUTES, ROUTES, type RouteMethod } from '@secondfactor/http';
import { memoryTwoFactor } from '@secondfactor/http/testing';
import { secondFactor } from '@secondfactor/koa';
import { describe, expect, it } from 'vitest';
import { hostApp, serve } from './world';

const METHODS: RouteMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const concrete = (path: string): string => path.replace(/:\w+/g, 'x1');

async function start(): Promise<string> {
  return serve(hostApp(secondFactor({ twoFactor: memoryTwoFactor() }).router));
}

describe('the Koa middleware serves the route table and nothing else', () => {
  it('I7: every route of the table is answered, and without a session every guarded one is 401 unauthenticated', async () => {
    const base = await start();
    for (const route of ROUTES) {
      const response = await fetch(`${base}/2fa${concrete(route.path)}`, { method: route.method });
      const body = (await response.json()) as { error?: { code?: string } };
      expect(response.status, route.name).not.toBe(418);
      if (!PUBLIC_ROUTES.includes(route.name)) {
        expect([response.status, body.error?.code], route.name).toEqual([401, 'unauthenticated']);
      }
    }
  });

  it('I7: a method the table does not give a path, and a path outside the table, pass on to the host', async () => {
    const base = await start();
    const paths = [...new Set(ROUTES.map((route) => route.path))];
    for (const path of paths) {
      for (const method of METHODS) {
        if (ROUTES.some((route) => route.path === path && route.method === method)) continue;
        const response = await fetch(`${base}/2fa${concrete(path)}`, { method });
        expect(response.status, `${method} ${path}`).toBe(418);
      }
    }
    for (const path of [
      '/2fa',
      '/2fa/',
      '/2fa/unknown',
      '/2fa/status/more',
      '/status',
      '/2faa/status',
      '/x/2fa/status',
    ]) {
      expect((await fetch(base + path)).status, path).toBe(418);
    }
  });

  it('I7: every route of the table is public by design or behind a guard', () => {
    for (const route of ROUTES) {
      expect(route.guard === 'public', route.name).toBe(PUBLIC_ROUTES.includes(route.name));
    }
  });
});
