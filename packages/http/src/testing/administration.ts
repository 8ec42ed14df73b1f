/**
 * @module
 * The admin endpoints over HTTP, gated by the host's directory of who is whose admin: the user list with
 * its 2FA mark, one user's status and history, the "Use 2FA" and "Can toggle 2FA" switches, a reset that
 * signs the user out, and the tenant's SMTP settings (set, and read without the password); a user
 * outside the directory answers like an unknown one, and a non-admin is refused by the policy.
 */
import { accountAdmin, type PolicyConfig } from '@secondfactor/policy';
import type { TwoFactorUser } from '@secondfactor/service';
import { describe, expect, it } from 'vitest';
import type { AdminDirectory } from '../options';
import { enrollApp, errorCode, world } from './steps';
import type { ConformanceUser, HttpConformanceTarget } from './world';

const boss: ConformanceUser = { id: 'boss', roles: ['admin'], tenantId: 'acme' };
const ada: ConformanceUser = { id: 'ada', roles: [], tenantId: 'acme' };
const eve: ConformanceUser = { id: 'eve', roles: [], tenantId: 'evil' };
const users = [boss, ada, eve];

const strip = ({ id, roles, tenantId }: ConformanceUser): TwoFactorUser => ({
  id,
  roles,
  ...(tenantId === undefined ? {} : { tenantId }),
});

/** The host's answer: an admin administers the users of his own tenant. */
const directory: AdminDirectory = {
  subject: (actor, userId) => {
    const user = users.find((candidate) => candidate.id === userId);
    return user !== undefined && user.tenantId === actor.tenantId ? strip(user) : null;
  },
  users: async (actor) => ({ users: users.filter((user) => user.tenantId === actor.tenantId).map(strip) }),
};

// accountAdmin, where admins must use 2FA and set their tenant's SMTP server.
const policy: PolicyConfig = {
  ...accountAdmin,
  admin: { ...accountAdmin.admin, configureTenant: true },
  requirement: { roles: [{ roles: ['admin'], require: true }] },
};

export function administration(target: HttpConformanceTarget): void {
  describe('administration', () => {
    it('an admin lists his users, switches 2FA on for one, forbids her to toggle it, reads her history and resets her', async () => {
      const w = await world(target, { policy, users, http: { admin: directory } });

      // The admin's own 2FA is required: his first login is the set-up, which completes it.
      const admin = w.browser();
      const first = await admin.password('boss');
      expect(first.json).toMatchObject({ state: 'enroll', deferrable: false });
      const pending = await admin.get('/protected');
      expect(pending.json.error).toMatchObject({
        code: 'enrollment_required',
        detail: { deferrable: false },
      });
      const before = admin.cookies.get(target.sessionCookie);
      await enrollApp(w, admin);
      expect(admin.cookies.get(target.sessionCookie)).not.toBe(before);
      expect((await admin.get('/protected')).status).toBe(200);

      const list = await admin.get('/2fa/admin/users');
      expect(list.status, list.text).toBe(200);
      expect(list.json.users).toEqual([
        expect.objectContaining({ userId: 'boss', hasTwoFactor: true }),
        expect.objectContaining({ userId: 'ada', hasTwoFactor: false }),
      ]);
      expect(errorCode(await admin.get('/2fa/admin/users/eve'))).toBe('not_found');
      expect((await admin.put('/2fa/admin/users/eve/use-two-factor', { value: true })).status).toBe(404);

      // "Use 2FA: YES": ada sets up at her next login, and may still skip it while she may toggle.
      expect((await admin.put('/2fa/admin/users/ada/use-two-factor', { value: true })).status).toBe(204);
      const user = w.browser();
      expect((await user.password('ada')).json.state).toBe('enroll');
      expect((await user.post('/2fa/login/skip-setup')).status).toBe(200);
      expect((await user.get('/protected')).status).toBe(200);

      // "Can toggle 2FA: NO": the set-up can no longer be skipped.
      expect((await admin.put('/2fa/admin/users/ada/use-two-factor', { value: true })).status).toBe(204);
      expect((await admin.put('/2fa/admin/users/ada/may-toggle', { value: false })).status).toBe(204);
      await user.logout();
      expect((await user.password('ada')).json.state).toBe('enroll');
      const skip = await user.post('/2fa/login/skip-setup');
      expect(skip.status).toBe(403);
      expect(errorCode(skip)).toBe('policy_denied');
      await enrollApp(w, user);
      expect((await user.get('/protected')).status).toBe(200);

      // Not an admin: the policy refuses her, whatever the directory says.
      const refused = await user.get('/2fa/admin/users/boss');
      expect(refused.status).toBe(403);
      expect(errorCode(refused)).toBe('policy_denied');

      const status = await admin.get('/2fa/admin/users/ada');
      expect(status.json).toMatchObject({
        userId: 'ada',
        hasTwoFactor: true,
        useTwoFactor: true,
        mayToggle: false,
      });
      const history = await admin.get('/2fa/admin/users/ada/history?limit=100');
      expect(history.status).toBe(200);
      expect(history.json.events.length).toBeGreaterThan(0);
      expect(history.json.events.every((event: { userId: string }) => event.userId === 'ada')).toBe(true);

      // A reset removes her devices and signs her out.
      expect((await admin.post('/2fa/admin/users/ada/reset')).status).toBe(204);
      expect(errorCode(await user.get('/protected'))).toBe('second_factor_required');
      await user.logout();
      expect((await user.password('ada')).json.state).toBe('enroll');
    });

    it("the tenant's SMTP server is set and read by its admin only, and its password is never read back", async () => {
      const w = await world(target, { policy, users, http: { admin: directory } });
      const admin = w.browser();
      await admin.password('boss');
      await enrollApp(w, admin);
      const none = await admin.get('/2fa/tenant/smtp');
      expect(none.status, none.text).toBe(200);
      expect(none.headers.get('cache-control')).toBe('no-store');
      expect(none.json).toEqual({ smtp: null });
      const smtp = { host: 'smtp.acme.example', port: 587, auth: { user: 'otp', pass: 'hunter2-smtp' } };
      const set = await admin.put('/2fa/tenant/smtp', { smtp });
      expect(set.status, set.text).toBe(204);
      expect(await w.twoFactor.tenantSmtp('acme')).toMatchObject({ host: 'smtp.acme.example' });
      const view = await admin.get('/2fa/tenant/smtp');
      expect(view.json).toEqual({
        smtp: { host: 'smtp.acme.example', port: 587, secure: false, user: 'otp', hasPassword: true },
      });
      for (const reply of w.replies) expect(reply.text).not.toContain('hunter2-smtp');
      const wrongType = await admin.put('/2fa/tenant/smtp', { smtp: 'smtp.acme.example' });
      expect(wrongType.status).toBe(400);

      const user = w.browser();
      await user.password('ada');
      const refused = await user.put('/2fa/tenant/smtp', { smtp: null });
      expect(refused.status).toBe(403);
      const notShown = await user.get('/2fa/tenant/smtp');
      expect(notShown.status).toBe(403);
      expect(errorCode(notShown)).toBe('policy_denied');
      expect(await w.twoFactor.tenantSmtp('acme')).toMatchObject({ host: 'smtp.acme.example' });
    });

    it('without a directory the admin endpoints answer not_found', async () => {
      const w = await world(target, { policy, users });
      const admin = w.browser();
      await admin.password('boss');
      await enrollApp(w, admin);
      expect(errorCode(await admin.get('/2fa/admin/users'))).toBe('not_found');
      expect(errorCode(await admin.get('/2fa/admin/users/ada'))).toBe('not_found');
    });
  });
}
