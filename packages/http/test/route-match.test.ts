/**
 * `matchRoute`: the route of the table a method and a path below the mount point ask for, matched as
 * Express's and @koa/router's defaults match (any letter case, one optional trailing slash, `HEAD` by the
 * `GET` route), with its parameters percent-decoded; nothing for anything else.
 */
import { matchRoute, ROUTES } from '@secondfactor/http';
import { describe, expect, it } from 'vitest';

const nameOf = (method: string, path: string): string | undefined =>
  matchRoute(ROUTES, method, path)?.route.name;

describe('matchRoute', () => {
  it('finds every route of the table by its method and path, parameters filled in', () => {
    for (const route of ROUTES) {
      const found = matchRoute(ROUTES, route.method, route.path.replace(/:\w+/g, 'x1'));
      expect(found?.route, `${route.method} ${route.path}`).toBe(route);
      for (const name of route.path.match(/:\w+/g) ?? []) expect(found?.params[name.slice(1)]).toBe('x1');
    }
  });

  it('tells routes of one path apart by method', () => {
    expect(nameOf('PATCH', '/devices/d1')).toBe('devices.rename');
    expect(nameOf('DELETE', '/devices/d1')).toBe('devices.remove');
    expect(nameOf('PUT', '/devices/d1')).toBeUndefined();
  });

  it('matches any letter case and one trailing slash, and answers HEAD with the GET route', () => {
    expect(nameOf('GET', '/STATUS/')).toBe(nameOf('GET', '/status'));
    expect(nameOf('HEAD', '/status')).toBe(nameOf('GET', '/status'));
    expect(nameOf('GET', '/status')).toBeDefined();
    expect(nameOf('GET', '/status//')).toBeUndefined();
  });

  it('percent-decodes parameters and matches nothing for one that is not valid percent-encoding', () => {
    expect(matchRoute(ROUTES, 'DELETE', '/devices/d%201%2F2')?.params).toEqual({ deviceId: 'd 1/2' });
    expect(matchRoute(ROUTES, 'DELETE', '/devices/%E0%A4%A')).toBeNull();
  });

  it('matches nothing outside the table: another path, a longer one, a parameter left empty', () => {
    for (const path of [
      '',
      '/',
      '/unknown',
      '/status/more',
      '/devices/d1/unknown',
      '/devices//switch-off',
      'status',
    ]) {
      expect(matchRoute(ROUTES, 'GET', path), path).toBeNull();
      expect(matchRoute(ROUTES, 'POST', path), path).toBeNull();
    }
  });
});
