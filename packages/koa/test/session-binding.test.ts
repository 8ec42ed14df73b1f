/**
 * Sessions other than koa-session, through the two callbacks of `SessionBinding`, and an app whose own
 * @koa/bodyparser parsed the body before the middleware: the second step still works, and the binding
 * is asked for a new session id when it passes (I4).
 */
import bodyParser from '@koa/bodyparser';
import Router from '@koa/router';
import { base32Decode, totp } from '@secondfactor/core';
import { type SecondFactorSession, type SessionBinding, secondFactor } from '@secondfactor/koa';
import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import { serve, service } from './world';

let time = Date.UTC(2025, 10, 23, 12, 0, 0);
const clock = () => time;

/** A toy session: the id in an `x-session` header, the data in a map. */
function headerSessions() {
  const data = new Map<string, SecondFactorSession>();
  const regenerated: string[] = [];
  const binding: SessionBinding = {
    read: (ctx) => data.get(ctx.get('x-session')),
    write: async (ctx, state, { regenerate }) => {
      const id = ctx.get('x-session');
      if (regenerate) regenerated.push(id);
      if (state === undefined) data.delete(id);
      else data.set(id, state);
    },
    id: (ctx) => ctx.get('x-session'),
  };
  return { binding, regenerated };
}

async function start(binding: SessionBinding) {
  const routes = secondFactor({ twoFactor: service(clock), clock, session: binding, csrf: false });
  const app = new Koa();
  app.use(bodyParser());
  app.use(routes.router);
  const router = new Router();
  router.post('/password', async (ctx) => {
    ctx.body = await routes.startSecondFactor(ctx, { id: 'ada', roles: [] });
  });
  router.get('/protected', routes.requireSecondFactor(), (ctx) => {
    ctx.body = { ok: true };
  });
  app.use(router.routes());
  const base = await serve(app);
  return async (method: string, path: string, body?: unknown) => {
    const response = await fetch(base + path, {
      method,
      headers: { 'x-session': 's1', 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, json: (await response.json()) as Record<string, never> };
  };
}

describe('a session through SessionBinding', () => {
  it('keeps the 2FA state through read and write, regenerating on success, with the host parsing JSON', async () => {
    const { binding, regenerated } = headerSessions();
    const call = await start(binding);
    expect((await call('POST', '/password')).json.state).toBe('done');
    const begin = await call('POST', '/2fa/enrollment/totp', {});
    const key = base32Decode(String(begin.json.manualKey).replaceAll(' ', ''));
    expect(
      (
        await call('POST', '/2fa/enrollment/totp/confirm', {
          enrollmentId: begin.json.enrollmentId,
          code: totp(key, { time }),
        })
      ).status,
    ).toBe(200);
    time += 30_000;
    expect((await call('POST', '/password')).json.state).toBe('challenge');
    expect((await call('GET', '/protected')).status).toBe(401);
    regenerated.length = 0;
    const verify = await call('POST', '/2fa/login/verify', { method: 'totp', code: totp(key, { time }) });
    expect(verify.json).toMatchObject({ signedIn: true });
    expect(regenerated).toEqual(['s1']);
    expect((await call('GET', '/protected')).status).toBe(200);
  });

  it('answers 500 internal, naming the fix, when koa-session is missing', async () => {
    const routes = secondFactor({ twoFactor: service() });
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
