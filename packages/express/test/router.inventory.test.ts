/**
 * The route inventory of the Express router (checklist I7): every route the router registers is one of
 * the table's, with its method and path, so a route added to the router outside the table (and so
 * without the table's guard, CSRF check and cache header) fails here.
 */
import { secondFactor } from '@secondfactor/express';
import { PUBLIC_ROUTES, ROUTES } from '@secondfactor/http';
import { memoryTwoFactor } from '@secondfactor/http/testing';
import { describe, expect, it } from 'vitest';

const twoFactor = memoryTwoFactor();

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

function registered(): string[] {
  const { router } = secondFactor({ twoFactor });
  return (router as unknown as { stack: Layer[] }).stack.flatMap((layer) =>
    layer.route === undefined
      ? ['middleware']
      : Object.keys(layer.route.methods)
          .filter((method) => method !== '_all')
          .map((method) => `${method.toUpperCase()} ${layer.route?.path}`),
  );
}

describe('the Express router registers the route table and nothing else', () => {
  it('I7: every registered route is a route of the table, each once, and no middleware runs beside them', () => {
    const table = ROUTES.map((route) => `${route.method} ${route.path}`);
    expect(registered().sort()).toEqual([...table].sort());
    expect(new Set(table).size).toBe(table.length);
  });

  it('I7: every route of the table is public by design or behind a guard', () => {
    for (const route of ROUTES) {
      expect(route.guard === 'public', route.name).toBe(PUBLIC_ROUTES.includes(route.name));
    }
  });
});
