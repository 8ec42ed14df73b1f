/**
 * The HTTP conformance suite of `@secondfactor/http/testing` against the adapter on Express 4: the
 * adapter's own `import 'express'` is pointed at Express 4 too, so its router is an Express 4 router.
 */
import { runHttpConformance } from '@secondfactor/http/testing';
import express4 from 'express4';
import { expect, it, vi } from 'vitest';
import { SESSION_COOKIE, startApp } from './app';

vi.mock('express', async () => ({ default: (await import('express4')).default }));

it('runs on Express 4', async () => {
  const { default: mocked } = await import('express');
  expect(mocked).toBe(express4);
  expect((await import('express4/package.json', { with: { type: 'json' } })).default.version).toMatch(/^4\./);
});

runHttpConformance({
  name: 'Express 4',
  sessionCookie: SESSION_COOKIE,
  start: (host) => startApp(express4 as unknown as typeof import('express'), host),
});
