/**
 * @module
 * The first set-up as part of a login, over HTTP: a required set-up answers `enrollment_required` on
 * protected routes; during a grace period the service lets it be postponed, and the postponed session
 * keeps the user's epoch like any login; the set-up itself completes the login, with an authenticator
 * app or with a verified e-mail address.
 */
import { type PolicyConfig, selfService } from '@secondfactor/policy';
import { describe, expect, it } from 'vitest';
import { enrollApp, errorCode, world } from './steps';
import { codeIn, type HttpConformanceTarget } from './world';

const DAY_MS = 86_400_000;
/** selfService with a day's grace for the required set-up; enabling signs the other sessions out. */
const withGrace: PolicyConfig = {
  ...selfService,
  requirement: { default: true, defaultGraceSeconds: 86_400 },
  sessions: { revokeOthersOnEnable: true },
};
/** E-mail and SMS codes beside the app, required at the first login. */
const codesRequired: PolicyConfig = {
  name: 'conformanceCodesRequired',
  tenancy: 'single',
  methods: { allowed: ['totp', 'email', 'sms'], mode: 'multi' },
  requirement: { default: true },
};
const ada = { id: 'ada', roles: [] };

export function setupAtLogin(target: HttpConformanceTarget): void {
  describe('the set-up at login', () => {
    it('a required set-up may be postponed during its grace period, and the postponed session is signed out like any other (I5)', async () => {
      const w = await world(target, { policy: withGrace, users: [ada] });
      const browser = w.browser();
      const start = await browser.password('ada');
      expect(start.json).toMatchObject({ state: 'enroll', deferrable: true, graceRemainingSeconds: 86_400 });
      const pending = await browser.get('/protected');
      expect(pending.status).toBe(401);
      expect(pending.json.error).toMatchObject({
        code: 'enrollment_required',
        detail: { deferrable: true, graceRemainingSeconds: 86_400 },
      });
      expect((await browser.get('/2fa/login')).json).toMatchObject({ state: 'enroll', deferrable: true });
      const before = browser.cookies.get(target.sessionCookie);
      const deferred = await browser.post('/2fa/login/defer');
      expect(deferred.status, deferred.text).toBe(200);
      expect(deferred.json).toEqual({ signedIn: true, graceRemainingSeconds: 86_400 });
      expect(browser.cookies.get(target.sessionCookie)).not.toBe(before);
      expect((await browser.get('/protected')).status).toBe(200);
      expect(errorCode(await browser.post('/2fa/login/defer'))).toBe('otp_invalid');

      // Another session of hers postpones too, then sets up an app: enabling signs the first one out.
      const other = w.browser();
      expect((await other.password('ada')).json).toMatchObject({ state: 'enroll', deferrable: true });
      expect((await other.post('/2fa/login/defer')).status).toBe(200);
      await enrollApp(w, other);
      expect((await other.get('/protected')).status).toBe(200);
      const revoked = await browser.get('/protected');
      expect(revoked.json.error).toMatchObject({
        code: 'second_factor_required',
        detail: { reason: 'revoked' },
      });
    });

    it('a postponed session lasts as long as the grace it was given: then it is asked to set up', async () => {
      const w = await world(target, { policy: withGrace, users: [ada] });
      const browser = w.browser();
      expect((await browser.password('ada')).json).toMatchObject({ state: 'enroll', deferrable: true });
      expect((await browser.post('/2fa/login/defer')).status).toBe(200);
      w.clock.advance(DAY_MS - 1_000);
      expect((await browser.get('/protected')).status).toBe(200);
      w.clock.advance(1_000);
      const over = await browser.get('/protected');
      expect(over.status).toBe(401);
      expect(over.json.error).toMatchObject({ code: 'enrollment_required', detail: { deferrable: false } });
    });

    it('after the grace period the set-up cannot be postponed, and setting up completes the login', async () => {
      const w = await world(target, { policy: withGrace, users: [ada] });
      const browser = w.browser();
      expect((await browser.password('ada')).json).toMatchObject({ state: 'enroll', deferrable: true });
      w.clock.advance(2 * DAY_MS);
      await browser.logout();
      expect((await browser.password('ada')).json).toMatchObject({ state: 'enroll', deferrable: false });
      const late = await browser.post('/2fa/login/defer');
      expect(late.status).toBe(410);
      expect(errorCode(late)).toBe('challenge_expired');
      expect(errorCode(await browser.get('/protected'))).toBe('enrollment_required');
      await enrollApp(w, browser);
      expect((await browser.get('/protected')).status).toBe(200);
    });

    it('a first-login set-up with an e-mail address completes the login once the address is verified', async () => {
      const w = await world(target, { policy: codesRequired, users: [ada] });
      const browser = w.browser();
      const start = await browser.password('ada');
      expect(start.json).toMatchObject({ state: 'enroll' });
      expect(start.json.methods).toContain('email');
      const added = await browser.post('/2fa/enrollment/address', {
        method: 'email',
        address: 'ada@example.com',
      });
      expect(added.json).toMatchObject({ status: 'code_sent', channel: 'email' });
      const code = codeIn(w.email.last('ada@example.com')?.text);
      const wrong = await browser.post('/2fa/enrollment/address/verify', {
        enrollmentId: added.json.enrollmentId,
        code: code === '000000' ? '111111' : '000000',
      });
      expect(errorCode(wrong)).toBe('otp_invalid');
      expect(errorCode(await browser.get('/protected'))).toBe('enrollment_required');

      const before = browser.cookies.get(target.sessionCookie);
      const verified = await browser.post('/2fa/enrollment/address/verify', {
        enrollmentId: added.json.enrollmentId,
        code,
      });
      expect(verified.status, verified.text).toBe(200);
      expect(verified.json).toMatchObject({ method: 'email', signedIn: true });
      expect(browser.cookies.get(target.sessionCookie)).not.toBe(before);
      expect((await browser.get('/protected')).status).toBe(200);
      expect(errorCode(await browser.post('/2fa/login/verify', { method: 'email', code }))).toBe(
        'otp_invalid',
      );
    });
  });
}
