/**
 * @module
 * `runSessionBindingConformance`: a host's own session through an adapter's `SessionBinding`, with the
 * host's own JSON body parser in front of the router: the second step works through the two callbacks,
 * and the binding is asked for a new session id when it passes (I4).
 */
import { base32Decode, totp } from '@secondfactor/core';
import { describe, expect, it } from 'vitest';
import type { SessionBinding } from '../session-binding';
import type { SecondFactorSession } from '../session-state';
import { memoryTwoFactor } from './two-factor';
import type { ConformanceApp, ConformanceHost } from './world';

/**
 * What an adapter's test gives {@link runSessionBindingConformance}: its name, how its request shows a
 * header, and a function that starts an app on a loopback port with the adapter made of `host.options`
 * and `session`, the host's JSON body parser in front of everything, serving the router under `/2fa`,
 * `POST /password` and `GET /protected` as {@link hostRoutes} describes them.
 *
 * @example
 * ```ts
 * import type { SessionBindingTarget } from '@secondfactor/http/testing';
 *
 * const target: SessionBindingTarget<Context> = {
 *   name: 'Koa',
 *   header: (ctx, name) => ctx.get(name),
 *   start: (host, session) => startApp(Koa, host, { bodyParser: true, session }),
 * };
 * ```
 */
export interface SessionBindingTarget<Request> {
  name: string;
  /** The value of a request's header (`name` in lower case), `undefined` or `''` without it. */
  header(request: Request, name: string): string | undefined;
  start(host: ConformanceHost, session: SessionBinding<Request>): Promise<ConformanceApp>;
}

/** A toy session: the id in an `x-session` header, the data in a map, every regeneration recorded. */
function headerSessions<Request>(target: SessionBindingTarget<Request>) {
  const data = new Map<string, SecondFactorSession>();
  const regenerated: string[] = [];
  const idOf = (request: Request): string => String(target.header(request, 'x-session'));
  const binding: SessionBinding<Request> = {
    read: (request) => data.get(idOf(request)),
    write: async (request, state, { regenerate }) => {
      const id = idOf(request);
      if (regenerate) regenerated.push(id);
      if (state === undefined) data.delete(id);
      else data.set(id, state);
    },
    id: idOf,
  };
  return { binding, regenerated };
}

/**
 * Registers the session-binding test for `target` (call it at the top level of a vitest file).
 *
 * @example
 * ```ts
 * import { runSessionBindingConformance } from '@secondfactor/http/testing';
 *
 * runSessionBindingConformance<Request>({
 *   name: 'Express',
 *   header: (req, name) => req.get(name),
 *   start: (host, session) => startApp(express, host, { bodyParsers: ['json'], session }),
 * });
 * ```
 */
export function runSessionBindingConformance<Request>(target: SessionBindingTarget<Request>): void {
  describe(`${target.name}: a session through SessionBinding`, () => {
    it('keeps the 2FA state through read and write, regenerating on success, with the host parsing JSON', async () => {
      let time = Date.UTC(2025, 10, 23, 12, 0, 0);
      const clock = () => time;
      const { binding, regenerated } = headerSessions(target);
      const app = await target.start(
        {
          options: { twoFactor: memoryTwoFactor({ clock }), clock, csrf: false },
          users: new Map([['ada', { id: 'ada', roles: [] }]]),
        },
        binding,
      );
      const call = async (method: string, path: string, body?: unknown) => {
        const response = await fetch(app.url + path, {
          method,
          headers: { 'x-session': 's1', 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        return { status: response.status, json: (await response.json()) as Record<string, never> };
      };
      try {
        expect((await call('POST', '/password', { userId: 'ada' })).json.state).toBe('done');
        const begin = await call('POST', '/2fa/enrollment/totp', {});
        const key = base32Decode(String(begin.json.manualKey).replaceAll(' ', ''));
        const confirm = await call('POST', '/2fa/enrollment/totp/confirm', {
          enrollmentId: begin.json.enrollmentId,
          code: totp(key, { time }),
        });
        expect(confirm.status).toBe(200);
        time += 30_000;
        expect((await call('POST', '/password', { userId: 'ada' })).json.state).toBe('challenge');
        expect((await call('GET', '/protected')).status).toBe(401);
        regenerated.length = 0;
        const verify = await call('POST', '/2fa/login/verify', { method: 'totp', code: totp(key, { time }) });
        expect(verify.json).toMatchObject({ signedIn: true });
        expect(regenerated).toEqual(['s1']);
        expect((await call('GET', '/protected')).status).toBe(200);
      } finally {
        await app.close();
      }
    });
  });
}
