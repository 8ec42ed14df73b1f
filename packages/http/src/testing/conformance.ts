/**
 * @module
 * `runHttpConformance`: the one HTTP conformance suite every adapter runs over real HTTP on a loopback
 * port, so Express and Koa answer the same routes, bodies and statuses (checklist I12).
 */
import { describe } from 'vitest';
import { administration } from './administration';
import { outOfBandMethods } from './out-of-band';
import { routeInventory } from './route-inventory';
import { securityLines } from './security';
import { setupAtLogin } from './setup-at-login';
import { authenticatorAppStory } from './story';
import type { HttpConformanceTarget } from './world';

/**
 * Registers the conformance suite for `target` (call it at the top level of a vitest file).
 *
 * @example
 * ```ts
 * import { runHttpConformance } from '@secondfactor/http/testing';
 *
 * runHttpConformance({ name: 'Express 5', sessionCookie: 'connect.sid', start: startExpressApp });
 * ```
 */
export function runHttpConformance(target: HttpConformanceTarget): void {
  describe(`${target.name}: HTTP conformance`, () => {
    authenticatorAppStory(target);
    securityLines(target);
    outOfBandMethods(target);
    setupAtLogin(target);
    administration(target);
    routeInventory(target);
  });
}
