/**
 * The route table, read as the spec of every adapter (checklist I7, I9, I10): one public route by design,
 * every other behind a guard; every state-changing route CSRF-checked but the webhook; enrollment and
 * backup-code routes `no-store`; login routes on the pending login; admin routes behind the admin guard;
 * the epoch check relaxed for one route only, the status of a Telegram link, for the session that made it.
 */
import { PUBLIC_ROUTES, ROUTES } from '@secondfactor/http';
import { describe, expect, it } from 'vitest';

describe('the route table', () => {
  it('I7: a route is public only when it is on the list of public routes, and that list is the webhook', () => {
    expect(PUBLIC_ROUTES).toEqual(['telegram.webhook']);
    for (const route of ROUTES)
      expect(route.guard === 'public', route.name).toBe(PUBLIC_ROUTES.includes(route.name));
  });

  it('I9: every state-changing route but the public webhook is CSRF-checked; reads are not', () => {
    for (const route of ROUTES) {
      const changes = route.method !== 'GET';
      expect(route.csrf, route.name).toBe(changes && route.guard !== 'public');
    }
  });

  it('I10: every enrollment and backup-code route answers with no-store', () => {
    const sensitive = ROUTES.filter((route) => /^(enrollment|backupCodes)\./.test(route.name));
    expect(sensitive.length).toBeGreaterThanOrEqual(9);
    for (const route of sensitive) expect(route.noStore, route.name).toBe(true);
  });

  it('the login step works on the pending login; admin routes stand behind the admin guard', () => {
    for (const route of ROUTES) {
      if (route.name === 'login.stepUp') expect(route.guard).toBe('signedIn');
      else if (route.name.startsWith('login.')) expect(route.guard, route.name).toBe('pending');
      if (route.path.startsWith('/admin/')) expect(route.guard, route.name).toBe('admin');
      if (route.name === 'enrollment.telegram.status') expect(route.guard).toBe('link');
      else if (route.name.startsWith('enrollment.')) expect(route.guard, route.name).toBe('setup');
    }
  });

  it('I5: the status of a Telegram link is the only route behind the link guard', () => {
    const link = ROUTES.filter((route) => route.guard === 'link');
    expect(link.map((route) => [route.method, route.path])).toEqual([
      ['GET', '/enrollment/telegram/:linkId'],
    ]);
  });

  it("the user's own devices, remembered browsers and tenant settings stand behind the signed-in guard", () => {
    const own = ROUTES.filter((route) => /^(devices|trustedDevice|tenant)\./.test(route.name));
    expect(own.map((route) => `${route.method} ${route.path}`).sort()).toEqual([
      'DELETE /devices/:deviceId',
      'DELETE /trusted-device',
      'GET /devices',
      'GET /tenant/smtp',
      'PATCH /devices/:deviceId',
      'POST /devices/:deviceId/switch-off',
      'POST /devices/:deviceId/switch-on',
      'PUT /tenant/smtp',
    ]);
    for (const route of own) expect(route.guard, route.name).toBe('signedIn');
  });

  it('names, and methods with paths, are unique', () => {
    expect(new Set(ROUTES.map((route) => route.name)).size).toBe(ROUTES.length);
    expect(new Set(ROUTES.map((route) => `${route.method} ${route.path}`)).size).toBe(ROUTES.length);
  });
});
