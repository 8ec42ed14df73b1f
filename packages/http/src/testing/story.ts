/**
 * @module
 * The authenticator-app story over HTTP: enroll → log out → log in → verify → backup-code login →
 * step-up → regenerate → acknowledge → download → disable, on the selfService policy.
 */
import { selfService } from '@secondfactor/policy';
import { describe, expect, it } from 'vitest';
import { enrollApp, errorCode, world } from './steps';
import { appCode, type HttpConformanceTarget, STEP_MS } from './world';

const ada = { id: 'ada', roles: [], email: 'ada@example.com' };

export function authenticatorAppStory(target: HttpConformanceTarget): void {
  describe('the authenticator-app story', () => {
    it('enroll, log out, log in with the app, a backup code, step up, regenerate, download, disable', async () => {
      const w = await world(target, { policy: selfService, users: [ada] });
      const browser = w.browser();

      // No 2FA yet: the password is enough.
      const first = await browser.password('ada');
      expect(first.json).toMatchObject({ state: 'done', trusted: false });
      expect((await browser.get('/protected')).status).toBe(200);

      // Enroll: the QR code as SVG and PNG, the manual key; then the confirming code.
      const begin = await browser.post('/2fa/enrollment/totp', { label: 'Phone' });
      expect(begin.status).toBe(200);
      expect(begin.headers.get('cache-control')).toBe('no-store');
      expect(begin.json.uri).toMatch(/^otpauth:\/\/totp\//);
      expect(begin.json.qr.svg).toMatch(/^<svg/);
      expect(begin.json.qr.png).toMatch(/^data:image\/png;base64,/);
      const manualKey: string = begin.json.manualKey;
      const confirm = await browser.post('/2fa/enrollment/totp/confirm', {
        enrollmentId: begin.json.enrollmentId,
        code: appCode(manualKey, w.clock()),
      });
      expect(confirm.status).toBe(200);
      expect(confirm.headers.get('cache-control')).toBe('no-store');
      const backupCodes: string[] = confirm.json.backupCodes;
      expect(backupCodes).toHaveLength(10);

      // Log out, log in: a code is asked, and nothing protected answers before it.
      expect((await browser.logout()).status).toBe(204);
      w.clock.advance(STEP_MS);
      const login = await browser.password('ada');
      expect(login.json).toMatchObject({
        state: 'challenge',
        methods: ['totp'],
        fallbackMethods: ['backup_code'],
      });
      expect(JSON.stringify(login.json)).not.toMatch(/loginId/);
      expect(errorCode(await browser.get('/protected'))).toBe('second_factor_required');
      const state = await browser.get('/2fa/login');
      expect(state.json).toMatchObject({ state: 'challenge', stepUp: false });
      const verified = await browser.post('/2fa/login/verify', {
        method: 'totp',
        code: appCode(manualKey, w.clock()),
      });
      expect(verified.json).toMatchObject({ signedIn: true, method: 'totp', fallback: false });
      expect((await browser.get('/protected')).status).toBe(200);

      // A backup code signs in once, as a fallback.
      await browser.logout();
      await browser.password('ada');
      const backup = await browser.post('/2fa/login/verify', { method: 'backup_code', code: backupCodes[0] });
      expect(backup.json).toMatchObject({
        signedIn: true,
        method: 'backup_code',
        fallback: true,
        backupCodesRemaining: 9,
      });

      // A new set needs a recent code of the app (F6): refused after a backup code, given after a step-up.
      const refused = await browser.post('/2fa/backup-codes/regenerate');
      expect(refused.status).toBe(403);
      expect(refused.json.error).toMatchObject({
        code: 'policy_denied',
        detail: { reason: 'fresh_auth_required' },
      });
      const stepUp = await browser.post('/2fa/login/step-up');
      expect(stepUp.json).toMatchObject({ state: 'challenge', stepUp: true });
      w.clock.advance(STEP_MS);
      const stepped = await browser.post('/2fa/login/verify', {
        method: 'totp',
        code: appCode(manualKey, w.clock()),
      });
      expect(stepped.status).toBe(200);
      const regenerated = await browser.post('/2fa/backup-codes/regenerate');
      expect(regenerated.status).toBe(200);
      expect(regenerated.headers.get('cache-control')).toBe('no-store');
      expect(regenerated.json.codes).toHaveLength(10);
      expect(regenerated.json.codes).not.toContain(backupCodes[1]);
      expect((await browser.post('/2fa/backup-codes/acknowledge')).status).toBe(204);
      const file = await browser.post('/2fa/backup-codes/download', {
        codes: regenerated.json.codes,
        createdAt: regenerated.json.createdAt,
      });
      expect(file.status).toBe(200);
      expect(file.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="/);
      expect(file.headers.get('cache-control')).toBe('no-store');
      expect(file.text).toContain(regenerated.json.codes[0]);

      // Status, then switched off: the next login needs no code.
      const status = await browser.get('/2fa/status');
      expect(status.json).toMatchObject({ hasTwoFactor: true, methods: ['totp'], backupCodesRemaining: 10 });
      expect((await browser.put('/2fa/use-two-factor', { value: false })).status).toBe(204);
      expect((await browser.get('/protected')).status).toBe(200);
      expect((await browser.get('/2fa/status')).json).toMatchObject({ hasTwoFactor: false });
      await browser.logout();
      expect((await browser.password('ada')).json.state).toBe('done');
    });

    it('devices are listed, renamed and removed by their owner', async () => {
      const w = await world(target, { policy: selfService, users: [ada] });
      const browser = w.browser();
      await browser.password('ada');
      const app = await enrollApp(w, browser);
      const list = await browser.get('/2fa/devices');
      expect(list.json.devices).toEqual([expect.objectContaining({ id: app.credentialId, label: 'Phone' })]);
      expect((await browser.patch(`/2fa/devices/${app.credentialId}`, { label: 'Work phone' })).status).toBe(
        204,
      );
      expect((await browser.get('/2fa/devices')).json.devices[0].label).toBe('Work phone');
      const unknown = await browser.delete('/2fa/devices/no-such-device');
      expect(unknown.json.error).toMatchObject({ code: 'not_found' });
      expect((await browser.delete(`/2fa/devices/${app.credentialId}`)).status).toBe(204);
      expect((await browser.get('/2fa/devices')).json.devices).toEqual([]);
      const history = await browser.get('/2fa/history?limit=50');
      expect(history.json.events.map((event: { type: string }) => event.type)).toContain('device.removed');
    });
  });
}
