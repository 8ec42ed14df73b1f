/**
 * Sessions other than express-session, through the two callbacks of `SessionBinding`, and an app whose
 * own `express.json()` parsed the body before the router: the second step still works, and the binding
 * is asked for a new session id when it passes (I4).
 */
import type { AddressInfo } from 'node:net';
import { base32Decode, totp } from '@secondfactor/core';
import { type SecondFactorSession, type SessionBinding, secondFactor } from '@secondfactor/express';
import { createPolicy, selfService } from '@secondfactor/policy';
import { createTwoFactor } from '@secondfactor/service';
import { MemoryStore, SecretBox } from '@secondfactor/store';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';

let time = Date.UTC(2025, 10, 23, 12, 0, 0);
const clock = () => time;
const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** A toy session: the id in an `x-session` header, the data in a map. */
function headerSessions() {
  const data = new Map<string, SecondFactorSession>();
  const regenerated: string[] = [];
  const binding: SessionBinding = {
    read: (req) => data.get(String(req.headers['x-session'])),
    write: async (req, state, { regenerate }) => {
      const id = String(req.headers['x-session']);
      if (regenerate) regenerated.push(id);
      if (state === undefined) data.delete(id);
      else data.set(id, state);
    },
    id: (req) => String(req.headers['x-session']),
  };
  return { binding, regenerated };
}

async function start(binding: SessionBinding) {
  const twoFactor = createTwoFactor({
    store: new MemoryStore(),
    secretBox: new SecretBox({
      keys: { k1: crypto.getRandomValues(new Uint8Array(32)) },
      currentKeyId: 'k1',
    }),
    backupCodeKey: crypto.getRandomValues(new Uint8Array(32)),
    policy: createPolicy(selfService),
    issuer: 'Example',
    clock,
  });
  const routes = secondFactor({ twoFactor, clock, session: binding, csrf: false });
  const app = express();
  app.use(express.json());
  app.post('/password', async (req, res) => {
    res.json(await routes.startSecondFactor(req, { id: 'ada', roles: [] }));
  });
  app.get('/protected', routes.requireSecondFactor(), (_req, res) => {
    res.json({ ok: true });
  });
  app.use('/2fa', routes.router);
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  closers.push(() => {
    server.closeAllConnections();
    server.close();
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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

  it('answers 500 internal, naming the fix, when express-session is missing', async () => {
    const twoFactor = createTwoFactor({
      store: new MemoryStore(),
      secretBox: new SecretBox({
        keys: { k1: crypto.getRandomValues(new Uint8Array(32)) },
        currentKeyId: 'k1',
      }),
      backupCodeKey: crypto.getRandomValues(new Uint8Array(32)),
      policy: createPolicy(selfService),
      issuer: 'Example',
    });
    const routes = secondFactor({ twoFactor });
    const app = express();
    app.post('/password', async (req, res) => {
      try {
        await routes.startSecondFactor(req, { id: 'ada', roles: [] });
        res.json({});
      } catch (error) {
        res.status(500).json({ message: (error as Error).message });
      }
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    closers.push(() => server.close());
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/password`, {
      method: 'POST',
    });
    expect(response.status).toBe(500);
    expect(((await response.json()) as { message: string }).message).toMatch(/express-session/);
  });
});
