/**
 * The quick start's app over real HTTP on a loopback port, as its page would drive it: the password,
 * TOTP set-up with the code an authenticator app computes from the manual key, then a new session that
 * passes the password and must give a code before `/account` answers. Logging out is a browser with no
 * cookie: the quick start has no sign-out route. The tests run in order and share the one user. The service and the adapter read
 * `Date.now`, so the test fakes `Date` (and only `Date`) before it loads the app and moves it by hand.
 */
import type { AddressInfo } from 'node:net';
import { base32Decode, totp } from '@secondfactor/core';
import { Browser } from '@secondfactor/http/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const STEP_MS = 30_000;
const START = Date.UTC(2025, 10, 23, 12, 0, 0);
const ADA = { email: 'ada@example.com', password: 'correct horse' };

let base = '';
let close: () => Promise<void> = async () => {};

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: START });
  const { quickStartApp: app } = await import('../src/app');
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () =>
    new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    });
});

afterAll(async () => {
  await close();
  vi.useRealTimers();
});

/** The code an authenticator app set up with `manualKey` shows now. */
const appCode = (manualKey: string): string =>
  totp(base32Decode(manualKey.replaceAll(' ', '')), { time: Date.now() });

/** POST /login with `credentials`; keeps the answer's CSRF token for the /2fa calls. */
async function logIn(browser: Browser, credentials: { email: string; password: string }) {
  const reply = await browser.post('/login', credentials, { csrf: false });
  if (typeof reply.json?.csrfToken === 'string') browser.csrfToken = reply.json.csrfToken;
  return reply;
}

describe('the quick start app', () => {
  let manualKey = '';

  it('refuses a wrong password with 401 and starts no session', async () => {
    const browser = new Browser(base, []);
    const reply = await logIn(browser, { ...ADA, password: 'wrong' });
    expect([reply.status, reply.json]).toEqual([401, { error: 'wrong e-mail or password' }]);
    expect((await browser.get('/account')).status).toBe(401);
  });

  it('signs a user without 2FA in with the password, who then sets up TOTP with the code computed from the manual key', async () => {
    const browser = new Browser(base, []);
    const login = await logIn(browser, ADA);
    expect([login.status, login.json.state]).toEqual([200, 'done']);
    expect((await browser.get('/account')).json).toEqual({ userId: 'u1' });

    const started = await browser.post('/2fa/enrollment/totp', {});
    expect(started.status).toBe(200);
    manualKey = started.json.manualKey;
    expect(manualKey).toMatch(/^[A-Z2-7 ]+$/);
    const confirmed = await browser.post('/2fa/enrollment/totp/confirm', {
      enrollmentId: started.json.enrollmentId,
      code: appCode(manualKey),
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.json.backupCodes).toHaveLength(10);
    expect((await browser.get('/2fa/status')).json.hasTwoFactor).toBe(true);
  });

  it('after logging out, the password alone gives a pending session that /account answers 401 second_factor_required', async () => {
    const browser = new Browser(base, []);
    const login = await logIn(browser, ADA);
    expect([login.status, login.json.state]).toEqual([200, 'challenge']);
    const account = await browser.get('/account');
    expect([account.status, account.json.error.code]).toEqual([401, 'second_factor_required']);
  });

  it("after logging out, the password and the app's next code open /account", async () => {
    const browser = new Browser(base, []);
    expect((await logIn(browser, ADA)).json.state).toBe('challenge');
    vi.setSystemTime(Date.now() + STEP_MS);
    const verified = await browser.post('/2fa/login/verify', { method: 'totp', code: appCode(manualKey) });
    expect(verified.status).toBe(200);
    const account = await browser.get('/account');
    expect([account.status, account.json]).toEqual([200, { userId: 'u1' }]);
  });
});
