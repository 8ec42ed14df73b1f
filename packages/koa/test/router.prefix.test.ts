/**
 * Where the middleware answers: below `/2fa` unless told otherwise, below any prefix it is given, at the
 * root with `''` (under koa-mount), like Express's and @koa/router's defaults for letter case, a
 * trailing slash and `HEAD`; and a prefix that is not a path is refused when the adapter is made.
 */

import { memoryTwoFactor } from '@secondfactor/http/testing';
import { secondFactor } from '@secondfactor/koa';
import { describe, expect, it } from 'vitest';
import { hostApp, serve } from './world';

const twoFactor = memoryTwoFactor();

async function start(prefix?: string): Promise<string> {
  const routes = secondFactor({ twoFactor, ...(prefix === undefined ? {} : { prefix }) });
  return serve(hostApp(routes.router));
}

/** The status of `GET path`: 401 when the middleware answered (no session), 418 when the host did. */
const statusOf = async (base: string, path: string, method = 'GET'): Promise<number> =>
  (await fetch(base + path, { method })).status;

describe('the prefix the middleware answers below', () => {
  it('is /2fa by default', async () => {
    const base = await start();
    expect(await statusOf(base, '/2fa/status')).toBe(401);
    expect(await statusOf(base, '/status')).toBe(418);
  });

  it('is the one given, and only that one', async () => {
    const base = await start('/account/2fa');
    expect(await statusOf(base, '/account/2fa/status')).toBe(401);
    expect(await statusOf(base, '/2fa/status')).toBe(418);
    expect(await statusOf(base, '/account/2fastatus')).toBe(418);
  });

  it("is the root with '' (the path koa-mount leaves)", async () => {
    const base = await start('');
    expect(await statusOf(base, '/status')).toBe(401);
    expect(await statusOf(base, '/2fa/status')).toBe(418);
  });

  it('matches as Express and @koa/router do: any letter case, a trailing slash, HEAD by the GET route', async () => {
    const base = await start();
    expect(await statusOf(base, '/2FA/Status/')).toBe(401);
    expect(await statusOf(base, '/2fa/status', 'HEAD')).toBe(401);
    expect(await statusOf(base, '/2fa/status//')).toBe(418);
  });

  it('passes on a path parameter that is not valid percent-encoding', async () => {
    const base = await start();
    expect(await statusOf(base, '/2fa/devices/ok', 'DELETE')).toBe(401);
    expect(await statusOf(base, '/2fa/devices/%E0%A4%A', 'DELETE')).toBe(418);
  });

  it('is refused with invalid_argument naming prefix when it is not a path', () => {
    for (const prefix of ['2fa', '/2fa/', '/', '/2fa?x=1', '/two fa']) {
      expect(() => secondFactor({ twoFactor, prefix }), prefix).toThrow(
        expect.objectContaining({ code: 'invalid_argument', message: expect.stringContaining('prefix') }),
      );
    }
  });
});
