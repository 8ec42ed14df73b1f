/**
 * Sessions other than koa-session, through the two callbacks of `SessionBinding`, with the host's own
 * @koa/bodyparser in front of the middleware (the suite's test); and an app that mounted neither
 * koa-session nor a binding is told what to mount.
 */
import { memoryTwoFactor, runSessionBindingConformance } from '@secondfactor/http/testing';
import { secondFactor } from '@secondfactor/koa';
import Koa, { type Context } from 'koa';
import { describe, expect, it } from 'vitest';
import { startApp } from './app';
import { serve } from './world';

runSessionBindingConformance<Context>({
  name: 'Koa',
  header: (ctx, name) => ctx.get(name),
  start: (host, session) => startApp(Koa, host, { bodyParser: true, session }),
});

describe('without a session', () => {
  it('answers 500 internal, naming the fix, when koa-session is missing', async () => {
    const routes = secondFactor({ twoFactor: memoryTwoFactor() });
    const app = new Koa();
    app.use(async (ctx) => {
      try {
        await routes.startSecondFactor(ctx, { id: 'ada', roles: [] });
        ctx.body = {};
      } catch (error) {
        ctx.status = 500;
        ctx.body = { message: (error as Error).message };
      }
    });
    const response = await fetch(`${await serve(app)}/password`, { method: 'POST' });
    expect(response.status).toBe(500);
    expect(((await response.json()) as { message: string }).message).toMatch(/koa-session/);
  });
});
