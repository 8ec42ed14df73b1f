/**
 * The HTTP conformance suite of `@secondfactor/http/testing` against the adapter on Koa 2. The adapter
 * loads no Koa of its own (it uses Koa's types only); any `import 'koa'` is pointed at Koa 2 all the
 * same, so nothing in the app can run on Koa 3.
 */
import { runHttpConformance } from '@secondfactor/http/testing';
import koa2 from 'koa2';
import { expect, it, vi } from 'vitest';
import { SESSION_COOKIE, startApp } from './app';

vi.mock('koa', async () => ({ default: (await import('koa2')).default }));

it('runs on Koa 2', async () => {
  const { default: mocked } = await import('koa');
  expect(mocked).toBe(koa2);
  expect((await import('koa2/package.json', { with: { type: 'json' } })).default.version).toMatch(/^2\./);
});

runHttpConformance({
  name: 'Koa 2',
  sessionCookie: SESSION_COOKIE,
  start: (host) => startApp(koa2, host),
});
