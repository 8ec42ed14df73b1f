/**
 * The Koa API over real HTTP on a loopback port, as a client app would call it: codes an authenticator
 * app computes from the manual key on the test's clock, the CSRF token of each answer in
 * `x-csrf-token`, a new cookie jar after each log-out.
 */
import type { AddressInfo } from 'node:net';
import { base32Decode, totp } from '@secondfactor/core';
import { Browser } from '@secondfactor/http/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createApi } from '../src/app';

const STEP_MS = 30_000;

interface Running {
  base: string;
  errors: unknown[];
  /** The test's clock: starts at 2025-11-23T12:00:00Z, moves only by `advance`. */
  now(): number;
  advance(ms: number): void;
  close(): Promise<void>;
}

let running: Running[] = [];
afterEach(async () => {
  for (const api of running) {
    expect(api.errors).toEqual([]);
    await api.close();
  }
  running = [];
});

async function startApi(): Promise<Running> {
  let time = Date.UTC(2025, 10, 23, 12, 0, 0);
  const errors: unknown[] = [];
  const app = createApi({
    secretKey: crypto.getRandomValues(new Uint8Array(32)),
    backupCodeKey: crypto.getRandomValues(new Uint8Array(32)),
    cookieKeys: ['koa-api-test-key'],
    clock: () => time,
    log: (error) => errors.push(error),
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const api: Running = {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    errors,
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
  running.push(api);
  return api;
}

/** `POST /login` in a new cookie jar; keeps the answer's CSRF token. */
async function logIn(api: Running, username: string, password = `${username}-password`) {
  const browser = new Browser(api.base, []);
  const reply = await browser.post('/login', { username, password }, { csrf: false });
  if (typeof reply.json?.csrfToken === 'string') browser.csrfToken = reply.json.csrfToken;
  return { browser, reply };
}

const appCode = (manualKey: string, time: number): string =>
  totp(base32Decode(manualKey.replaceAll(' ', '')), { time });

/** Starts TOTP set-up and confirms it with the app's code; answers the key and the backup codes. */
async function setUpTotp(api: Running, browser: Browser) {
  const started = await browser.post('/2fa/enrollment/totp', {});
  expect(started.status).toBe(200);
  const manualKey: string = started.json.manualKey;
  const confirmed = await browser.post('/2fa/enrollment/totp/confirm', {
    enrollmentId: started.json.enrollmentId,
    code: appCode(manualKey, api.now()),
  });
  expect(confirmed.status).toBe(200);
  if (typeof confirmed.json.csrfToken === 'string') browser.csrfToken = confirmed.json.csrfToken;
  return { manualKey, backupCodes: confirmed.json.backupCodes as string[] };
}

describe('password login', () => {
  it('refuses a wrong password with 401', async () => {
    const api = await startApi();
    const { reply, browser } = await logIn(api, 'ada', 'wrong');
    expect([reply.status, reply.json]).toEqual([401, { error: 'wrong username or password' }]);
    expect((await browser.get('/me')).status).toBe(401);
  });

  it('signs a user without 2FA in with the password alone', async () => {
    const api = await startApi();
    const { reply, browser } = await logIn(api, 'ada');
    expect([reply.status, reply.json.state]).toEqual([200, 'done']);
    const me = await browser.get('/me');
    expect([me.status, me.json]).toEqual([200, { user: { id: 'ada', roles: [], tenantId: 'acme' } }]);
  });

  it('answers a body that is not JSON with 400 invalid_argument', async () => {
    const api = await startApi();
    const browser = new Browser(api.base, []);
    const reply = await browser.request('POST', '/login', {
      raw: 'username=ada',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect([reply.status, reply.json.error.code]).toEqual([400, 'invalid_argument']);
  });
});

describe('2FA set-up and login with a code', () => {
  it('a user sets up TOTP with the manual key and gets ten backup codes; after logging out, the password alone is a pending session that /me refuses with 401 second_factor_required', async () => {
    const api = await startApi();
    const ada = await logIn(api, 'ada');
    const { backupCodes } = await setUpTotp(api, ada.browser);
    expect(backupCodes).toHaveLength(10);
    expect((await ada.browser.get('/2fa/status')).json.hasTwoFactor).toBe(true);
    expect((await ada.browser.post('/logout')).status).toBe(204);
    expect((await ada.browser.get('/me')).status).toBe(401);

    const again = await logIn(api, 'ada');
    expect(again.reply.json.state).toBe('challenge');
    const me = await again.browser.get('/me');
    expect([me.status, me.json.error.code]).toEqual([401, 'second_factor_required']);
  });

  it("the app's next code completes the login and opens /me; a wrong code is 401 otp_invalid", async () => {
    const api = await startApi();
    const { manualKey } = await setUpTotp(api, (await logIn(api, 'ada')).browser);
    const { browser } = await logIn(api, 'ada');
    api.advance(STEP_MS);
    const code = appCode(manualKey, api.now());
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const refused = await browser.post('/2fa/login/verify', { method: 'totp', code: wrong });
    expect([refused.status, refused.json.error.code]).toEqual([401, 'otp_invalid']);
    const verified = await browser.post('/2fa/login/verify', { method: 'totp', code });
    expect(verified.status).toBe(200);
    expect((await browser.get('/me')).json).toEqual({ user: { id: 'ada', roles: [], tenantId: 'acme' } });
  });

  it('a backup code completes the login once and is refused the next time', async () => {
    const api = await startApi();
    const { backupCodes } = await setUpTotp(api, (await logIn(api, 'ada')).browser);
    const [backupCode = ''] = backupCodes;

    const first = await logIn(api, 'ada');
    const used = await first.browser.post('/2fa/login/verify', { method: 'backup_code', code: backupCode });
    expect(used.status).toBe(200);
    expect((await first.browser.get('/me')).status).toBe(200);

    const second = await logIn(api, 'ada');
    const reused = await second.browser.post('/2fa/login/verify', {
      method: 'backup_code',
      code: backupCode,
    });
    expect([reused.status, reused.json.error.code]).toEqual([401, 'otp_invalid']);
    expect((await second.browser.get('/me')).status).toBe(401);
  });
});

describe('administration', () => {
  it("the admin's user list marks who has 2FA; a user who is not an admin gets 404 for it", async () => {
    const api = await startApi();
    await setUpTotp(api, (await logIn(api, 'ada')).browser);
    const { browser: admin } = await logIn(api, 'admin');
    const list = await admin.get('/2fa/admin/users');
    expect(list.status).toBe(200);
    const marks = Object.fromEntries(
      (list.json.users as { userId: string; hasTwoFactor: boolean }[]).map((row) => [
        row.userId,
        row.hasTwoFactor,
      ]),
    );
    expect(marks).toEqual({ admin: false, ada: true, bob: false });
    const { browser: bob } = await logIn(api, 'bob');
    expect((await bob.get('/2fa/admin/users/ada')).status).toBe(404);
  });

  it('"Use 2FA" switched on by the admin makes a user without 2FA set it up at his next login before /me opens', async () => {
    const api = await startApi();
    const { browser: admin } = await logIn(api, 'admin');
    const switched = await admin.put('/2fa/admin/users/bob/use-two-factor', { value: true });
    expect(switched.status).toBe(204);
    expect((await admin.get('/2fa/admin/users/bob')).json.useTwoFactor).toBe(true);

    const bob = await logIn(api, 'bob');
    expect(bob.reply.json.state).toBe('enroll');
    expect((await bob.browser.get('/me')).status).toBe(401);
    await setUpTotp(api, bob.browser);
    expect((await bob.browser.get('/me')).json).toEqual({ user: { id: 'bob', roles: [], tenantId: 'acme' } });
  });

  it('an admin\'s reset removes a user\'s 2FA: with "Use 2FA" on, the old key no longer signs him in and he sets up again', async () => {
    const api = await startApi();
    const { manualKey } = await setUpTotp(api, (await logIn(api, 'ada')).browser);
    const { browser: admin } = await logIn(api, 'admin');
    expect((await admin.put('/2fa/admin/users/ada/use-two-factor', { value: true })).status).toBe(204);
    expect((await admin.post('/2fa/admin/users/ada/reset', {})).status).toBe(204);
    expect((await admin.get('/2fa/admin/users/ada')).json.hasTwoFactor).toBe(false);

    const ada = await logIn(api, 'ada');
    expect(ada.reply.json.state).toBe('enroll');
    api.advance(STEP_MS);
    const oldKey = await ada.browser.post('/2fa/login/verify', {
      method: 'totp',
      code: appCode(manualKey, api.now()),
    });
    expect([oldKey.status, oldKey.json.error.code]).toEqual([403, 'method_not_allowed']);
    const fresh = await setUpTotp(api, ada.browser);
    expect(fresh.manualKey).not.toBe(manualKey);
    expect((await ada.browser.get('/me')).status).toBe(200);
  });
});
