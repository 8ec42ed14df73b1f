/**
 * Fixtures for the policy tests: users, actors and contexts built from a few readable options.
 */
import type { Method } from '@secondfactor/core';
import type { Actor, EnrolledDevice, PolicyContext, Subject, SubjectSettings } from '@secondfactor/policy';
import { expect, it } from 'vitest';

export const NOW = 1_700_000_000_000;
export const MINUTE = 60_000;
export const DAY = 86_400_000;

export function ctx(tenantFeatures?: readonly string[], now = NOW): PolicyContext {
  return tenantFeatures === undefined ? { now } : { now, tenantFeatures };
}

export function devices(...methods: Method[]): EnrolledDevice[] {
  return methods.map((method, i) => ({ method, id: `${method}-${i}` }));
}

export interface UserOptions {
  roles?: readonly string[];
  tenantId?: string;
  settings?: Partial<SubjectSettings>;
}

/** A subject; enrolled (active) when it holds devices unless `enrollment` says otherwise. */
export function user(id: string, options: UserOptions = {}): Subject {
  const held = options.settings?.devices ?? [];
  return {
    id,
    roles: options.roles ?? [],
    tenantId: options.tenantId ?? 'acme',
    settings: { enrollment: held.length > 0 ? 'active' : 'none', devices: held, ...options.settings },
  };
}

/** The same person as an actor, with a password and a second factor proven just now. */
export function as(subject: Subject, over: Partial<Actor> = {}): Actor {
  return {
    id: subject.id,
    roles: subject.roles,
    tenantId: subject.tenantId,
    reauthenticatedAt: NOW,
    secondFactorAt: NOW,
    ...over,
  };
}

/** An actor who signed in an hour ago and proved nothing since. */
export function stale(subject: Subject): Actor {
  return as(subject, { reauthenticatedAt: NOW - 60 * MINUTE, secondFactorAt: NOW - 60 * MINUTE });
}

/** One line of a product document: the behaviour in our words, what the engine answers, what it must be. */
export interface StoryRow {
  behaviour: string;
  actual: () => unknown;
  expected: unknown;
}

/** Runs a product story as one test per row; objects and lists are matched partially, the rest exactly. */
export function walkStory(rows: readonly StoryRow[]): void {
  it.each(rows)('$behaviour', ({ actual, expected }) => {
    const value = actual();
    if (typeof expected === 'object' && expected !== null) {
      expect(value).toMatchObject(expected);
    } else {
      expect(value).toEqual(expected);
    }
  });
}
