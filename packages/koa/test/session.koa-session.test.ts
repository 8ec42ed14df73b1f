/**
 * koa-session out of the box, with the session in its cookie and with an external store: the state
 * under `ctx.session.secondFactor`, a new session id when the second step passes that keeps the host's
 * own keys (I4), and the hooks a host calls (`stateOf`, `reauthenticated`, `signOut`).
 */
import Router from '@koa/router';
import { base32Decode, totp } from '@secondfactor/core';
import { Browser, memoryTwoFactor } from '@secondfactor/http/testing';
import { STATE_KEY, secondFactor } from '@secondfactor/koa';
import Koa from 'koa';
import session from 'koa-session';
import { describe, expect, it } from 'vitest';
import { memoryStore } from './app';
import { serve } from './world';

type Mode = 'cookie' | 'store';

async function start(mode: Mode) {
  let time = Date.UTC(2025, 10, 23, 12, 0, 0);
  const clock = () => time;
  const stored = new Map<string, unknown>();
  const app = new Koa();
  app.keys = ['koa-session-test-key-not-for-production'];
  app.use(session({ key: 'sid', ...(mode === 'store' ? { store: memoryStore(stored) } : {}) }, app));
  const routes = secondFactor({ twoFactor: memoryTwoFactor({ clock }), clock });
  app.use(routes.router);
  const router = new Router();
  router.post('/password', async (ctx) => {
    ctx.session.hostUser = 'ada'; // the host's own key, which a new session id must keep
    ctx.body = await routes.startSecondFactor(ctx, { id: 'ada', roles: [] });
  });
  router.get('/protected', routes.requireSecondFactor(), (ctx) => {
    ctx.body = { user: ctx.state[STATE_KEY].user.id, hostUser: ctx.session.hostUser };
  });
  router.get('/state', (ctx) => {
    ctx.body = { state: routes.stateOf(ctx), hostUser: ctx.session.hostUser ?? null };
  });
  router.post('/reauthenticate', async (ctx) => {
    await routes.reauthenticated(ctx, time + 5);
    ctx.status = 204;
  });
  router.post('/sign-out', async (ctx) => {
    await routes.signOut(ctx);
    ctx.status = 204;
  });
  app.use(router.routes());
  const browser = new Browser(await serve(app), []);

  /** Enrolls an authenticator app in a first login, then signs out and starts a second one. */
  const secondLogin = async () => {
    await browser.password('ada');
    const begin = await browser.post('/2fa/enrollment/totp', {});
    const key = base32Decode(String(begin.json.manualKey).replaceAll(' ', ''));
    const confirm = await browser.post('/2fa/enrollment/totp/confirm', {
      enrollmentId: begin.json.enrollmentId,
      code: totp(key, { time }),
    });
    expect(confirm.status, confirm.text).toBe(200);
    await browser.post('/sign-out');
    time += 30_000;
    expect((await browser.password('ada')).json.state).toBe('challenge');
    return () => totp(key, { time });
  };
  return { browser, stored, secondLogin, now: () => time };
}

describe.each<Mode>(['cookie', 'store'])('koa-session (session in the %s)', (mode) => {
  it('I4: the second step gives the session a new id and keeps the host keys; the old id stays unverified', async () => {
    const { browser, stored, secondLogin } = await start(mode);
    const code = await secondLogin();
    const before = new Map(browser.cookies);
    expect((await browser.get('/protected')).status).toBe(401);
    const verify = await browser.post('/2fa/login/verify', { method: 'totp', code: code() });
    expect(verify.json).toMatchObject({ signedIn: true });
    expect(browser.cookies.get('sid')).not.toBe(before.get('sid'));
    expect((await browser.get('/protected')).json).toEqual({ user: 'ada', hostUser: 'ada' });
    if (mode === 'store') expect(stored.has(String(before.get('sid')))).toBe(false);

    const attacker = new Browser(browser.base, []);
    for (const [name, value] of before) attacker.cookies.set(name, value);
    expect((await attacker.get('/protected')).status).toBe(401);
  });

  it('stateOf reads the state, reauthenticated moves the password time, signOut removes the state and keeps the host keys', async () => {
    const { browser, secondLogin, now } = await start(mode);
    const code = await secondLogin();
    await browser.post('/2fa/login/verify', { method: 'totp', code: code() });
    const state = (await browser.get('/state')).json.state;
    expect(state).toMatchObject({
      user: { id: 'ada' },
      passwordAt: now(),
      signedIn: { secondFactor: { method: 'totp' } },
    });

    expect((await browser.post('/reauthenticate')).status).toBe(204);
    expect((await browser.get('/state')).json.state.passwordAt).toBe(now() + 5);

    expect((await browser.post('/sign-out')).status).toBe(204);
    expect((await browser.get('/state')).json).toEqual({ state: null, hostUser: 'ada' });
    expect((await browser.get('/protected')).status).toBe(401);
  });
});
