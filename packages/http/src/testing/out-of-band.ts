/**
 * @module
 * The out-of-band methods over HTTP: e-mail and SMS codes (add and verify an address, send and resend a
 * login code, the send limit's 429, a number a colleague verified switched on and off), and Telegram
 * approval (link a chat through the public webhook and wait for it, also as the first-login set-up;
 * send Approve / Deny, poll until approved or denied), on the memory providers of
 * `@secondfactor/channels` and a local Bot API server.
 */
import { exclusiveMethod, multiMethod, type PolicyConfig } from '@secondfactor/policy';
import { describe, expect, it } from 'vitest';
import { enrollApp, errorCode, signInWithApp, userWithApp, world } from './steps';
import { codeIn, type HttpConformanceTarget, STEP_MS, WEBHOOK_SECRET, type World } from './world';

const codes: PolicyConfig = {
  name: 'conformanceCodes',
  tenancy: 'single',
  methods: { allowed: ['totp', 'email', 'sms'], mode: 'multi' },
  self: { toggle: true },
};

const ada = { id: 'ada', roles: [], email: 'ada@example.com' };
const CHAT = 4242;
// Two persons of one tenant, for a number one of them verified.
const cleo = { id: 'cleo', roles: [], tenantId: 'acme' };
const dan = { id: 'dan', roles: [], tenantId: 'acme' };

/** multiMethod where the first login sets up a method, a Telegram chat among them. */
const pushRequired: PolicyConfig = {
  ...multiMethod,
  name: 'multiMethodRequired',
  requirement: { default: true },
};

/** The webhook call Telegram makes for `update`: no session, no CSRF token, the secret header. */
const deliver = (w: World, update: unknown, secret: string | null = WEBHOOK_SECRET) =>
  w.browser().request('POST', '/2fa/telegram/webhook', {
    raw: JSON.stringify(update),
    headers: {
      'content-type': 'application/json',
      ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }),
    },
  });

/** The token of a deep link, as the user's Telegram sends it to the bot with `/start`. */
const tokenOf = (link: string): string | null => new URL(link).searchParams.get('start');

export function outOfBandMethods(target: HttpConformanceTarget): void {
  describe('out-of-band methods', () => {
    it('e-mail and SMS: add and verify an address, then sign in with a code sent to it', async () => {
      const w = await world(target, { policy: codes, users: [ada] });
      const browser = w.browser();
      expect((await browser.password('ada')).json.state).toBe('done');

      const added = await browser.post('/2fa/enrollment/address', {
        method: 'email',
        address: 'ada@example.com',
      });
      expect(added.status, added.text).toBe(200);
      expect(added.headers.get('cache-control')).toBe('no-store');
      const verified = await browser.post('/2fa/enrollment/address/verify', {
        enrollmentId: added.json.enrollmentId,
        code: codeIn(w.email.last('ada@example.com')?.text),
      });
      expect(verified.status, verified.text).toBe(200);

      // A second method needs the second factor just passed; the resend sends a new code.
      const phone = await browser.post('/2fa/enrollment/address', {
        method: 'sms',
        address: '+4915112345612',
      });
      expect(phone.status, phone.text).toBe(200);
      w.clock.advance(60_000);
      const resent = await browser.post('/2fa/enrollment/address/resend', {
        enrollmentId: phone.json.enrollmentId,
      });
      expect(resent.status, resent.text).toBe(200);
      const phoneVerified = await browser.post('/2fa/enrollment/address/verify', {
        enrollmentId: phone.json.enrollmentId,
        code: codeIn(w.sms.last('+4915112345612')?.text),
      });
      expect(phoneVerified.status, phoneVerified.text).toBe(200);

      await browser.logout();
      w.clock.advance(STEP_MS);
      const login = await browser.password('ada');
      expect(login.json.state).toBe('challenge');
      const sms = login.json.devices.find((device: { method: string }) => device.method === 'sms');
      expect(sms.hint).toMatch(/\*/);
      expect(JSON.stringify(login.json)).not.toContain('+4915112345612');
      const sent = await browser.post('/2fa/login/send', { method: 'sms', deviceId: sms.id });
      expect(sent.status, sent.text).toBe(200);
      expect(sent.json).toMatchObject({ channel: 'sms' });
      expect(JSON.stringify(sent.json)).not.toContain(codeIn(w.sms.last()?.text));
      // A second send before the wait between two sends: 429 with Retry-After (E8), nothing sent.
      const count = w.sms.messages.length;
      const tooSoon = await browser.post('/2fa/login/send', { method: 'sms', deviceId: sms.id });
      expect(tooSoon.status).toBe(429);
      expect(errorCode(tooSoon)).toBe('rate_limited');
      expect(Number(tooSoon.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(w.sms.messages.length).toBe(count);
      const done = await browser.post('/2fa/login/verify', {
        method: 'sms',
        code: codeIn(w.sms.last()?.text),
      });
      expect(done.json).toMatchObject({ signedIn: true, method: 'sms' });
      expect((await browser.get('/protected')).status).toBe(200);

      await browser.logout();
      await browser.password('ada');
      await browser.post('/2fa/login/send', { method: 'email' });
      const byMail = await browser.post('/2fa/login/verify', {
        method: 'email',
        code: codeIn(w.email.last('ada@example.com')?.text),
      });
      expect(byMail.json).toMatchObject({ signedIn: true, method: 'email' });
    });

    it('Telegram: linking keeps the linking session signed in and signs the others out; then approve a sign-in while the browser polls', async () => {
      const w = await world(target, { policy: multiMethod, users: [ada] });
      const browser = w.browser();
      const other = w.browser();
      expect((await browser.password('ada')).json.state).toBe('done');
      expect((await other.password('ada')).json.state).toBe('done');

      const link = await browser.post('/2fa/enrollment/telegram', { label: 'My Telegram' });
      expect(link.status, link.text).toBe(200);
      expect(link.headers.get('cache-control')).toBe('no-store');
      const status = `/2fa/enrollment/telegram/${link.json.linkId}`;
      const pending = await browser.get(status);
      expect(pending.json).toEqual({ state: 'pending', expiresAt: link.json.expiresAt });
      expect(pending.headers.get('cache-control')).toBe('no-store');
      // The user opens the link in chat CHAT: linking switches 2FA on (multiMethod's enableOnLink), which
      // signs the user's sessions out (I5); the one that made the link learns its new epoch from the status.
      const linked = await deliver(w, w.bot.userSends(CHAT, `/start ${tokenOf(link.json.link)}`));
      expect(linked.status).toBe(200);
      const revoked = await other.get('/protected');
      expect(revoked.json.error).toMatchObject({
        code: 'second_factor_required',
        detail: { reason: 'revoked' },
      });
      // Another session did not make the link: asking its status does not sign it in again.
      expect(errorCode(await other.get(status))).toBe('second_factor_required');
      const done = await browser.get(status);
      expect(done.status, done.text).toBe(200);
      expect(done.json).toMatchObject({
        state: 'linked',
        credentialId: link.json.linkId,
        method: 'push',
        signedIn: true,
      });
      expect((await browser.get('/protected')).status).toBe(200);
      expect(errorCode(await other.get('/protected'))).toBe('second_factor_required');
      expect((await browser.get(status)).json).toMatchObject({ state: 'linked', backupCodes: null });

      await browser.logout();
      const login = await browser.password('ada');
      expect(login.json).toMatchObject({ state: 'challenge' });
      expect(login.json.methods).toContain('push');
      const sent = await browser.post(
        '/2fa/login/approval',
        {},
        { headers: { 'x-forwarded-for': '203.0.113.66' } },
      );
      expect(sent.status, sent.text).toBe(200);
      expect(sent.json.sent).toBe(1);
      // E7: the message names the TCP peer, not the address the client claimed.
      const message = w.bot.messages.filter((m) => m.chatId === CHAT).at(-1);
      expect(message?.shownText).not.toContain('203.0.113.66');
      const waiting = await browser.post('/2fa/login/poll');
      expect(waiting.status).toBe(202);
      expect(waiting.json).toEqual({ signedIn: false, pending: true });
      expect(errorCode(await browser.get('/protected'))).toBe('second_factor_required');

      const press = w.bot.press(message?.messageId ?? 0, 'Approve');
      expect((await deliver(w, press)).status).toBe(200);
      const approved = await browser.post('/2fa/login/poll');
      expect(approved.json).toMatchObject({ signedIn: true, method: 'push' });
      expect((await browser.get('/protected')).status).toBe(200);
      const devices = await browser.get('/2fa/devices');
      expect(devices.json.devices).toEqual([
        expect.objectContaining({ method: 'push', label: 'My Telegram' }),
      ]);

      // Denied: the poll ends the login with the one answer of an ended login.
      await browser.logout();
      w.clock.advance(60_000);
      await browser.password('ada');
      expect((await browser.post('/2fa/login/approval')).status).toBe(200);
      const again = w.bot.messages.filter((m) => m.chatId === CHAT && m.keyboard.length > 0).at(-1);
      await deliver(w, w.bot.press(again?.messageId ?? 0, 'Deny'));
      const denied = await browser.post('/2fa/login/poll');
      expect(denied.status).toBe(410);
      expect(errorCode(await browser.get('/protected'))).toBe('second_factor_required');
    });

    it('Telegram: a session signed out by another change learns nothing of the link it waits for (I5)', async () => {
      const w = await world(target, { policy: multiMethod, users: [ada] });
      const app = await userWithApp(w, 'ada');
      const phone = w.browser();
      await signInWithApp(w, phone, 'ada', app);
      const second = await enrollApp(w, phone);
      const browser = w.browser();
      await signInWithApp(w, browser, 'ada', app);
      const link = await browser.post('/2fa/enrollment/telegram', {});
      expect(link.status, link.text).toBe(200);
      const status = `/2fa/enrollment/telegram/${link.json.linkId}`;
      expect((await browser.get(status)).json).toMatchObject({ state: 'pending' });
      // Removing a device signs the other sessions out; the link stays open.
      expect((await phone.delete(`/2fa/devices/${second.credentialId}`)).status).toBe(204);
      const refused = await browser.get(status);
      expect(refused.status).toBe(401);
      expect(refused.json.error).toMatchObject({
        code: 'second_factor_required',
        detail: { reason: 'revoked' },
      });
      expect(errorCode(await browser.get('/protected'))).toBe('second_factor_required');
    });

    it('Telegram: a first-login set-up by linking a chat completes the login of the session that made the link, under a new session id', async () => {
      const w = await world(target, { policy: pushRequired, users: [ada] });
      const browser = w.browser();
      const start = await browser.password('ada');
      expect(start.json).toMatchObject({ state: 'enroll' });
      expect(start.json.methods).toContain('push');
      const link = await browser.post('/2fa/enrollment/telegram', {});
      expect(link.status, link.text).toBe(200);
      const status = `/2fa/enrollment/telegram/${link.json.linkId}`;
      expect((await browser.get(status)).json).toMatchObject({ state: 'pending' });
      expect(errorCode(await browser.get('/protected'))).toBe('enrollment_required');
      const other = w.browser();
      expect((await other.password('ada')).json).toMatchObject({ state: 'enroll' });

      const before = browser.cookies.get(target.sessionCookie);
      await deliver(w, w.bot.userSends(CHAT, `/start ${tokenOf(link.json.link)}`));
      // Only the session that made the link learns its outcome (and completes its own login).
      expect(errorCode(await other.get(status))).toBe('enrollment_not_found');
      expect(errorCode(await other.get('/protected'))).toBe('enrollment_required');
      const linked = await browser.get(status);
      expect(linked.json).toMatchObject({ state: 'linked', method: 'push', signedIn: true });
      expect(browser.cookies.get(target.sessionCookie)).not.toBe(before);
      expect((await browser.get('/protected')).status).toBe(200);
    });

    it('a number a colleague of the tenant verified needs no code: switched on it signs in by SMS, switched off the login asks for nothing', async () => {
      const w = await world(target, { policy: exclusiveMethod, users: [cleo, dan] });
      const number = '+4915112345677';
      const colleague = w.browser();
      expect((await colleague.password('cleo')).json.state).toBe('done');
      const byColleague = await colleague.post('/2fa/enrollment/address', { method: 'sms', address: number });
      expect(byColleague.json).toMatchObject({ status: 'code_sent', channel: 'sms' });
      const verified = await colleague.post('/2fa/enrollment/address/verify', {
        enrollmentId: byColleague.json.enrollmentId,
        code: codeIn(w.sms.last(number)?.text),
      });
      expect(verified.status, verified.text).toBe(200);
      w.clock.advance(60_000);

      const browser = w.browser();
      const phone = w.browser();
      expect((await browser.password('dan')).json.state).toBe('done');
      expect((await phone.password('dan')).json.state).toBe('done');
      const sent = w.sms.messages.length;
      const trusted = await browser.post('/2fa/enrollment/address', { method: 'sms', address: number });
      expect(trusted.status, trusted.text).toBe(200);
      expect(trusted.json).toEqual({ status: 'trusted', credentialId: expect.any(String), method: 'sms' });
      expect(w.sms.messages.length).toBe(sent);
      const deviceId: string = trusted.json.credentialId;
      expect((await browser.get('/2fa/devices')).json.devices).toEqual([
        expect.objectContaining({ id: deviceId, method: 'sms', switchedOff: true }),
      ]);
      expect((await browser.get('/2fa/status')).json.hasTwoFactor).toBe(false);

      // "Enable authentication": switched on without a code, 2FA is on and this session stays signed in.
      const on = await browser.post(`/2fa/devices/${deviceId}/switch-on`);
      expect(on.status, on.text).toBe(200);
      expect(on.headers.get('cache-control')).toBe('no-store');
      expect(on.json).toMatchObject({ credentialId: deviceId, method: 'sms' });
      expect((await browser.get('/2fa/status')).json.hasTwoFactor).toBe(true);
      expect((await browser.get('/protected')).status).toBe(200);

      await browser.logout();
      const login = await browser.password('dan');
      expect(login.json).toMatchObject({ state: 'challenge', methods: ['sms'] });
      expect((await browser.post('/2fa/login/send', { method: 'sms' })).status).toBe(200);
      const smsLogin = await browser.post('/2fa/login/verify', {
        method: 'sms',
        code: codeIn(w.sms.last(number)?.text),
      });
      expect(smsLogin.json).toMatchObject({ signedIn: true, method: 'sms' });

      // Switching the last device off switches 2FA off: the other sessions are signed out, this one kept.
      expect((await phone.get('/protected')).status).toBe(200);
      const off = await browser.post(`/2fa/devices/${deviceId}/switch-off`);
      expect(off.status, off.text).toBe(204);
      expect((await browser.get('/protected')).status).toBe(200);
      expect(errorCode(await phone.get('/protected'))).toBe('second_factor_required');
      expect((await browser.get('/2fa/devices')).json.devices).toEqual([
        expect.objectContaining({ id: deviceId, switchedOff: true }),
      ]);
      await browser.logout();
      expect((await browser.password('dan')).json.state).toBe('done');
    });

    it('the Telegram webhook is public but answers 401 without its secret header, and needs no CSRF token', async () => {
      const w = await world(target, { policy: multiMethod, users: [ada] });
      const update = w.bot.userSends(CHAT, '/start nothing-to-link');
      expect((await deliver(w, update, null)).status).toBe(401);
      expect((await deliver(w, update, 'wh_wrong_secret_123456')).status).toBe(401);
      const signed = await deliver(w, update);
      expect(signed.status).toBe(200);
    });
  });
}
