/**
 * The HTTP conformance suite of `@secondfactor/http/testing` against the adapter on Koa 3.
 */
import { runHttpConformance } from '@secondfactor/http/testing';
import Koa from 'koa';
import { expect, it } from 'vitest';
import { SESSION_COOKIE, startApp } from './app';

it('runs on Koa 3', async () => {
  expect((await import('koa/package.json', { with: { type: 'json' } })).default.version).toMatch(/^3\./);
});

runHttpConformance({
  name: 'Koa 3',
  sessionCookie: SESSION_COOKIE,
  start: (host) => startApp(Koa, host),
});
