/**
 * @module
 * The security lines an HTTP layer owns, each over real HTTP: I1 (a pending session reaches nothing
 * protected), I2 (no user or login from the body), I3 and I6 (a login answered once, by a method it
 * offered), I4 (a new session id after the second step), I5 (a
 * change signs the other sessions out), I9 (CSRF), I10 (`no-store`), I11 (one answer for a wrong code,
 * an expired login and an unknown one), E7 (`X-Forwarded-For` ignored unless trusted), E8 (429 with
 * `Retry-After`), J1 (no secret in any answer after the set-up), and bodies checked before any write.
 */
import { type PolicyConfig, selfService } from '@secondfactor/policy';
import { describe, expect, it } from 'vitest';
import { enrollApp, errorCode, signInWithApp, userWithApp, world } from './steps';
import { appCode, type HttpConformanceTarget, RECENT_MS, STEP_MS } from './world';

const ada = { id: 'ada', roles: [] };
const bob = { id: 'bob', roles: [] };
const users = [ada, bob];

export function securityLines(target: HttpConformanceTarget): void {
  describe('security lines', () => {
    it('I1: a session that passed only the password reaches no protected route', async () => {
      const w = await world(target, { policy: selfService, users });
      await userWithApp(w, 'ada');
      const browser = w.browser();
      await browser.password('ada');
      for (const path of ['/protected', '/sensitive', '/2fa/status', '/2fa/devices', '/2fa/history']) {
        const reply = await browser.get(path);
        expect(reply.status, path).toBe(401);
        expect(errorCode(reply), path).toBe('second_factor_required');
      }
      const off = await browser.put('/2fa/use-two-factor', { value: false });
      expect(errorCode(off)).toBe('second_factor_required');
      expect(errorCode(await w.browser().get('/protected'))).toBe('unauthenticated');
    });

    it("I2: the login is the session's: a user or login id in the body is refused, another user's code fails", async () => {
      const w = await world(target, { policy: selfService, users });
      const adaApp = await userWithApp(w, 'ada');
      const bobApp = await userWithApp(w, 'bob');
      const browser = w.browser();
      w.clock.advance(STEP_MS);
      await browser.password('ada');
      for (const extra of [{ userId: 'bob' }, { loginId: 'x.Ym9i' }]) {
        const reply = await browser.post('/2fa/login/verify', {
          method: 'totp',
          code: appCode(adaApp.manualKey, w.clock()),
          ...extra,
        });
        expect(reply.status).toBe(400);
        expect(errorCode(reply)).toBe('invalid_argument');
      }
      const bobs = await browser.post('/2fa/login/verify', {
        method: 'totp',
        code: appCode(bobApp.manualKey, w.clock()),
      });
      expect(errorCode(bobs)).toBe('otp_invalid');
      expect(errorCode(await browser.get('/protected'))).toBe('second_factor_required');
    });

    it('I3, I6: a login is answered once, and a method it did not offer or a client flag cannot pass it', async () => {
      const w = await world(target, { policy: selfService, users });
      const app = await userWithApp(w, 'ada');
      const browser = w.browser();
      w.clock.advance(STEP_MS);
      await browser.password('ada');
      const sms = await browser.post('/2fa/login/verify', { method: 'sms', code: '123456' });
      expect(sms.status).toBe(403);
      expect(errorCode(sms)).toBe('method_not_allowed');
      const flag = await browser.post('/2fa/login/verify', { method: 'totp', code: '', mfaVerified: true });
      expect(errorCode(flag)).toBe('invalid_argument');
      expect(errorCode(await browser.get('/protected'))).toBe('second_factor_required');
      const code = appCode(app.manualKey, w.clock());
      expect((await browser.post('/2fa/login/verify', { method: 'totp', code })).status).toBe(200);
      const again = await browser.post('/2fa/login/verify', { method: 'totp', code });
      expect(again.status).toBe(401);
      expect(errorCode(again)).toBe('otp_invalid');
    });

    it('I4: the session id changes after the second step, and the old one stays unverified', async () => {
      const w = await world(target, { policy: selfService, users });
      const app = await userWithApp(w, 'ada');
      const browser = w.browser();
      w.clock.advance(STEP_MS);
      await browser.password('ada');
      const before = browser.cookies.get(target.sessionCookie);
      expect(before).toBeDefined();
      await browser.post('/2fa/login/verify', { method: 'totp', code: appCode(app.manualKey, w.clock()) });
      const after = browser.cookies.get(target.sessionCookie);
      expect(after).toBeDefined();
      expect(after).not.toBe(before);
      expect((await browser.get('/protected')).status).toBe(200);
      const attacker = w.browser();
      attacker.cookies.set(target.sessionCookie, before ?? '');
      expect((await attacker.get('/protected')).status).toBe(401);
    });

    it('I5, H9: switching 2FA off signs the other sessions out; the one that did it stays signed in', async () => {
      const w = await world(target, { policy: selfService, users });
      const app = await userWithApp(w, 'ada');
      const laptop = w.browser();
      const phone = w.browser();
      await signInWithApp(w, laptop, 'ada', app);
      await signInWithApp(w, phone, 'ada', app);
      expect((await laptop.get('/protected')).status).toBe(200);
      expect((await phone.put('/2fa/use-two-factor', { value: false })).status).toBe(204);
      const revoked = await laptop.get('/protected');
      expect(revoked.status).toBe(401);
      expect(revoked.json.error).toMatchObject({
        code: 'second_factor_required',
        detail: { reason: 'revoked' },
      });
      expect((await phone.get('/protected')).status).toBe(200);
    });

    it("I9: a state-changing request without the session's CSRF token is refused and changes nothing", async () => {
      const w = await world(target, { policy: selfService, users });
      const app = await userWithApp(w, 'ada');
      const browser = w.browser();
      await signInWithApp(w, browser, 'ada', app);
      for (const token of [undefined, 'forged-token']) {
        const reply = await browser.put(
          '/2fa/use-two-factor',
          { value: false },
          {
            csrf: false,
            ...(token === undefined ? {} : { headers: { 'x-csrf-token': token } }),
          },
        );
        expect(reply.status).toBe(403);
        expect(errorCode(reply)).toBe('csrf_failed');
      }
      expect((await browser.get('/2fa/status')).json.hasTwoFactor).toBe(true);
      const token = await browser.get('/2fa/csrf');
      expect(token.json.token).toBe(browser.csrfToken);
    });

    it('I9: in origin mode a state-changing request needs an allowed Origin', async () => {
      const w = await world(target, {
        policy: selfService,
        users,
        http: { csrf: { mode: 'origin', origins: ['https://app.example.com'] } },
        origin: 'https://app.example.com',
      });
      const app = await userWithApp(w, 'ada');
      const browser = w.browser();
      await signInWithApp(w, browser, 'ada', app);
      browser.csrfToken = undefined;
      browser.origin = undefined;
      const none = await browser.put('/2fa/use-two-factor', { value: false });
      expect(errorCode(none)).toBe('csrf_failed');
      const evil = await browser.put(
        '/2fa/use-two-factor',
        { value: false },
        { headers: { origin: 'https://evil.example' } },
      );
      expect(errorCode(evil)).toBe('csrf_failed');
      const own = await browser.put(
        '/2fa/use-two-factor',
        { value: false },
        { headers: { origin: 'https://app.example.com' } },
      );
      expect(own.status).toBe(204);
    });

    it('I10: enrollment and backup-code answers carry Cache-Control: no-store', async () => {
      const w = await world(target, { policy: selfService, users });
      const browser = w.browser();
      await browser.password('ada');
      const from = w.replies.length;
      await enrollApp(w, browser);
      const answers = w.replies.slice(from);
      expect(answers).toHaveLength(2);
      for (const reply of answers) expect(reply.headers.get('cache-control')).toBe('no-store');
    });

    it('I11: a wrong code, an expired login, an unknown login and no login answer the same status and body', async () => {
      const w = await world(target, { policy: selfService, users });
      const app = await userWithApp(w, 'ada');
      const browser = w.browser();
      const wrong = async () => {
        const reply = await browser.post('/2fa/login/verify', { method: 'totp', code: '000000' });
        return { status: reply.status, body: reply.text };
      };
      await browser.password('ada');
      const wrongCode = await wrong();
      // Expired: past the login's lifetime (at most ten minutes).
      await browser.password('ada');
      w.clock.advance(11 * 60_000);
      const expired = await wrong();
      // Unknown: the login was swept from the store.
      await browser.password('ada');
      w.clock.advance(11 * 60_000);
      await w.twoFactor.sweep({ now: w.clock() });
      const unknown = await wrong();
      // None: a signed-in session has no pending login.
      await signInWithApp(w, browser, 'ada', app);
      const none = await wrong();
      expect(wrongCode.status).toBe(401);
      expect(JSON.parse(wrongCode.body).error.code).toBe('otp_invalid');
      expect(expired).toEqual(wrongCode);
      expect(unknown).toEqual(wrongCode);
      expect(none).toEqual(wrongCode);
    });

    it('E8: the failure that locks the user answers 429 with Retry-After, and so does the next right code', async () => {
      const w = await world(target, { policy: selfService, users });
      const app = await userWithApp(w, 'ada');
      const browser = w.browser();
      w.clock.advance(STEP_MS);
      await browser.password('ada');
      let reply = await browser.post('/2fa/login/verify', { method: 'totp', code: '000000' });
      for (let i = 0; i < 10 && reply.status !== 429; i++) {
        expect(errorCode(reply)).toBe('otp_invalid');
        reply = await browser.post('/2fa/login/verify', { method: 'totp', code: '000000' });
      }
      expect(reply.status).toBe(429);
      expect(errorCode(reply)).toBe('locked_out');
      expect(Number(reply.headers.get('retry-after'))).toBeGreaterThan(0);
      await browser.password('ada');
      const right = await browser.post('/2fa/login/verify', {
        method: 'totp',
        code: appCode(app.manualKey, w.clock()),
      });
      expect(right.status).toBe(429);
      expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('E7: a spoofed X-Forwarded-For does not change the rate-limit key unless the proxy is trusted', async () => {
      for (const trusted of [false, true]) {
        const keys: string[] = [];
        const w = await world(target, {
          policy: selfService,
          users,
          http: {
            rateLimit: ({ key }) => {
              keys.push(key);
              return keys.length > 3 ? 30_000 : null;
            },
            ...(trusted ? { trustProxy: ['127.0.0.1', '::1'] } : {}),
          },
        });
        const browser = w.browser();
        await browser.password('ada');
        for (const spoofed of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) {
          await browser.get('/2fa/csrf', { headers: { 'x-forwarded-for': spoofed } });
        }
        expect(keys).toEqual(
          trusted ? ['203.0.113.1', '203.0.113.2', '203.0.113.3'] : [expect.any(String), keys[0], keys[0]],
        );
        if (!trusted) expect(['127.0.0.1', '::1']).toContain(keys[0]);
        const limited = await browser.get('/2fa/csrf', { headers: { 'x-forwarded-for': '203.0.113.9' } });
        expect(limited.status).toBe(429);
        expect(limited.headers.get('retry-after')).toBe('30');
      }
    });

    it('J1: after the set-up starts, no answer holds the secret, a code or a digest', async () => {
      const w = await world(target, { policy: selfService, users });
      const browser = w.browser();
      await browser.password('ada');
      const begin = await browser.post('/2fa/enrollment/totp', {});
      const secret: string = begin.json.manualKey.replaceAll(' ', '');
      const after = w.replies.length;
      const codes: string[] = [appCode(begin.json.manualKey, w.clock())];
      const confirm = await browser.post('/2fa/enrollment/totp/confirm', {
        enrollmentId: begin.json.enrollmentId,
        code: codes[0],
      });
      const issued: string[] = confirm.json.backupCodes;
      const confirmAt = w.replies.length - 1;
      await browser.logout();
      w.clock.advance(STEP_MS);
      await browser.password('ada');
      codes.push(appCode(begin.json.manualKey, w.clock()));
      await browser.post('/2fa/login/verify', { method: 'totp', code: codes[1] });
      await browser.post('/2fa/login/verify', { method: 'totp', code: codes[1] });
      await browser.get('/2fa/status');
      await browser.get('/2fa/devices');
      await browser.get('/2fa/history');
      await browser.logout();
      await browser.password('ada');
      await browser.post('/2fa/login/verify', { method: 'backup_code', code: issued[0] });
      await browser.get('/2fa/history');
      w.replies.slice(after).forEach((reply, index) => {
        let text = reply.text;
        reply.headers.forEach((value) => {
          text += `\n${value}`;
        });
        expect(text).not.toContain(secret);
        expect(text).not.toMatch(/otpauth:/);
        expect(text).not.toMatch(/[0-9a-f]{64}/i);
        for (const code of codes) expect(text).not.toMatch(new RegExp(`(?<!\\d)${code}(?!\\d)`));
        if (after + index !== confirmAt) {
          for (const code of issued) expect(text).not.toContain(code);
        }
      });
    });

    it('bodies are checked before any write: a wrong type is 400, an oversized body 413, and no event is recorded', async () => {
      const w = await world(target, { policy: selfService, users });
      await userWithApp(w, 'ada');
      const browser = w.browser();
      await browser.password('ada');
      const events = w.events.length;
      const cases: [unknown, number][] = [
        [{ method: 'totp', code: 123456 }, 400],
        [{ method: 'carrier-pigeon', code: '123456' }, 400],
        [{ method: 'totp' }, 400],
        [[1, 2], 400],
        [{ method: 'totp', code: '1'.repeat(40_000) }, 413],
      ];
      for (const [body, status] of cases) {
        const reply = await browser.post('/2fa/login/verify', body);
        expect(reply.status, JSON.stringify(body).slice(0, 40)).toBe(status);
        expect(errorCode(reply)).toBe(status === 413 ? 'payload_too_large' : 'invalid_argument');
      }
      const form = await browser.request('POST', '/2fa/login/verify', {
        raw: 'method=totp&code=123456',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(form.status).toBe(400);
      expect(w.events.length).toBe(events);
    });

    it('requireRecentSecondFactor: a second factor older than the limit is asked again, and a step-up gives it', async () => {
      const w = await world(target, { policy: selfService, users });
      const app = await userWithApp(w, 'ada');
      const browser = w.browser();
      await signInWithApp(w, browser, 'ada', app);
      expect((await browser.get('/sensitive')).status).toBe(200);
      w.clock.advance(RECENT_MS + STEP_MS);
      const old = await browser.get('/sensitive');
      expect(old.status).toBe(401);
      expect(old.json.error).toMatchObject({
        code: 'recent_second_factor_required',
        detail: { maxAgeMs: RECENT_MS },
      });
      expect((await browser.get('/protected')).status).toBe(200);
      await browser.post('/2fa/login/step-up');
      await browser.post('/2fa/login/verify', { method: 'totp', code: appCode(app.manualKey, w.clock()) });
      expect((await browser.get('/sensitive')).status).toBe(200);
    });

    it('a remembered browser signs in without a code, through an HttpOnly cookie; forgetting forgets every remembered browser', async () => {
      const remembering: PolicyConfig = { ...selfService, sessions: { rememberDeviceDays: 30 } };
      const w = await world(target, { policy: remembering, users });
      const app = await userWithApp(w, 'ada');
      const browser = w.browser();
      const laptop = w.browser();
      for (const remembered of [browser, laptop]) {
        w.clock.advance(STEP_MS);
        await remembered.password('ada');
        const from = w.replies.length;
        await remembered.post('/2fa/login/verify', {
          method: 'totp',
          code: appCode(app.manualKey, w.clock()),
          rememberDevice: true,
        });
        const cookie = w.replies[from]?.headers.getSetCookie().find((line) => line.startsWith('sf_trusted='));
        expect(cookie).toMatch(/HttpOnly/);
        expect(cookie).toMatch(/SameSite=Lax/);
        await remembered.logout();
        expect((await remembered.password('ada')).json).toMatchObject({ state: 'done', trusted: true });
      }
      expect((await browser.get('/protected')).status).toBe(200);
      const forgotten = await browser.delete('/2fa/trusted-device');
      expect(forgotten.status, forgotten.text).toBe(200);
      expect(forgotten.json).toEqual({ forgotten: 2 });
      expect(browser.cookies.has('sf_trusted')).toBe(false);
      await browser.logout();
      expect((await browser.password('ada')).json.state).toBe('challenge');
      // The other browser still sends its cookie, and is asked for a code all the same.
      expect(laptop.cookies.has('sf_trusted')).toBe(true);
      await laptop.logout();
      expect((await laptop.password('ada')).json.state).toBe('challenge');
    });
  });
}
