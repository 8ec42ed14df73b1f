/**
 * @module
 * The route inventory over HTTP (checklist I1, I7): every route of the table answers a request without a
 * session with 401 `unauthenticated` unless it is public by design, and every route that needs a
 * signed-in session answers a session that passed only the password with 401 `second_factor_required`.
 */
import { selfService } from '@secondfactor/policy';
import { describe, expect, it } from 'vitest';
import { PUBLIC_ROUTES, ROUTES } from '../routes';
import { errorCode, userWithApp, world } from './steps';
import type { HttpConformanceTarget } from './world';

const pathOf = (path: string): string => `/2fa${path.replace(/:\w+/g, 'some-id')}`;
const SIGNED_IN_ONLY = new Set(['signedIn', 'admin', 'setup', 'link']);

export function routeInventory(target: HttpConformanceTarget): void {
  describe('route inventory', () => {
    it('I7: without a session every route but the public ones answers 401 unauthenticated', async () => {
      const w = await world(target, { policy: selfService, users: [{ id: 'ada', roles: [] }] });
      for (const route of ROUTES) {
        if (PUBLIC_ROUTES.includes(route.name)) continue;
        const reply = await w
          .browser()
          .request(route.method, pathOf(route.path), route.method === 'GET' ? {} : { body: {} });
        expect(reply.status, `${route.method} ${route.path}`).toBe(401);
        expect(errorCode(reply), `${route.method} ${route.path}`).toBe('unauthenticated');
      }
    });

    it('I1: a session that passed only the password gets second_factor_required from every signed-in route', async () => {
      const w = await world(target, { policy: selfService, users: [{ id: 'ada', roles: [] }] });
      await userWithApp(w, 'ada');
      const browser = w.browser();
      expect((await browser.password('ada')).json.state).toBe('challenge');
      for (const route of ROUTES) {
        const reply = await browser.request(
          route.method,
          pathOf(route.path),
          route.method === 'GET' ? {} : { body: {} },
        );
        const label = `${route.method} ${route.path}`;
        if (SIGNED_IN_ONLY.has(route.guard)) {
          expect(reply.status, label).toBe(401);
          expect(errorCode(reply), label).toBe('second_factor_required');
        } else {
          expect(errorCode(reply), label).not.toBe('second_factor_required');
        }
      }
    });
  });
}
