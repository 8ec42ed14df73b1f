/**
 * Fixtures for the policy tests: users, actors and contexts built from a few readable options.
 */
import { isSecondFactorError, type Method } from '@secondfactor/core';
import type {
  Actor,
  EnrolledDevice,
  Policy,
  PolicyContext,
  SecondFactorProof,
  Subject,
  SubjectSettings,
} from '@secondfactor/policy';
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
  /** The tenant; `null` for a user of a single-tenant policy (no `tenantId`). @default 'acme' */
  tenantId?: string | null;
  settings?: Partial<SubjectSettings>;
}

/** A subject; enrolled (active) when it holds devices unless `enrollment` says otherwise. */
export function user(id: string, options: UserOptions = {}): Subject {
  const held = options.settings?.devices ?? [];
  const tenantId = options.tenantId === undefined ? 'acme' : options.tenantId;
  return {
    id,
    roles: options.roles ?? [],
    ...(tenantId === null ? {} : { tenantId }),
    settings: {
      useTwoFactor: null,
      mayToggle: null,
      enrollment: held.length > 0 ? 'active' : 'none',
      devices: held,
      graceStartedAt: null,
      ...options.settings,
    },
  };
}

/** A user of a single-tenant policy: no `tenantId`, and a count of backup codes (0 unless given). */
export function soleUser(id: string, options: Omit<UserOptions, 'tenantId'> = {}): Subject {
  return user(id, {
    ...options,
    tenantId: null,
    settings: { backupCodesRemaining: 0, ...options.settings },
  });
}

/** The proof of a second factor passed at `at` with `method` (an app code unless said otherwise). */
export function passed(at: number, method: Method = 'totp'): SecondFactorProof {
  return { at, method };
}

/** The same person as an actor, with a password and a second factor proven just now. */
export function as(subject: Subject, over: Partial<Actor> = {}): Actor {
  return {
    id: subject.id,
    roles: subject.roles,
    ...(subject.tenantId === undefined ? {} : { tenantId: subject.tenantId }),
    reauthenticatedAt: NOW,
    secondFactor: passed(NOW),
    ...over,
  };
}

/** An actor who signed in an hour ago and proved nothing since. */
export function stale(subject: Subject): Actor {
  return as(subject, { reauthenticatedAt: NOW - 60 * MINUTE, secondFactor: passed(NOW - 60 * MINUTE) });
}

/** One line of a product document: the behaviour in our words, what the engine answers, what it must be. */
export interface StoryRow {
  behaviour: string;
  /** The product control this row walks (a label of the product's `controls`). */
  control?: string;
  actual: () => unknown;
  expected: unknown;
}

/** A policy whose members are recorded as a story row reads them. */
export interface TrackedPolicy {
  policy: Policy;
  /** Members of `policy` read since the last `clear()`. */
  read: Set<string>;
}

/** Wraps `policy` so a story can check which question each row asked. */
export function tracked(policy: Policy): TrackedPolicy {
  const read = new Set<string>();
  const proxy = new Proxy(policy, {
    get: (target, name, receiver) => {
      if (typeof name === 'string') read.add(name);
      return Reflect.get(target, name, receiver);
    },
  });
  return { policy: proxy, read };
}

/** What a story checks beyond its rows: the product's controls, each answered by the question it names. */
export interface StoryControls {
  tracked: TrackedPolicy;
  controls: readonly { label: string; answeredBy: string }[];
}

/**
 * Runs a product story as one test per row; objects and lists are matched partially, the rest exactly.
 * With `story`, a row tagged with a control must ask the question that answers it, and every control of
 * the product must be walked by some row.
 */
export function walkStory(rows: readonly StoryRow[], story?: StoryControls): void {
  it.each(rows)('$behaviour', ({ actual, expected, control }) => {
    story?.tracked.read.clear();
    const value = actual();
    if (typeof expected === 'object' && expected !== null) {
      expect(value).toMatchObject(expected);
    } else {
      expect(value).toEqual(expected);
    }
    if (story !== undefined && control !== undefined) {
      const known = story.controls.find((c) => c.label === control);
      expect(known, `control "${control}" is one of the product's`).toBeDefined();
      expect([...story.tracked.read]).toContain(known?.answeredBy);
    }
  });
  if (story !== undefined) {
    it("walks every control of the product's screens with the question that answers it", () => {
      const walked = new Set(rows.flatMap((row) => (row.control === undefined ? [] : [row.control])));
      expect(story.controls.filter((c) => !walked.has(c.label)).map((c) => c.label)).toEqual([]);
    });
  }
}

/** A user of a policy that allows backup codes: his count of unused codes is a required fact (0 unless given). */
export function holder(id: string, options: UserOptions = {}): Subject {
  return user(id, { ...options, settings: { backupCodesRemaining: 0, ...options.settings } });
}

/** The call throws `SecondFactorError('invalid_argument')` whose message starts with the fact's name. */
export function expectFactRefused(call: () => unknown, fact: string): void {
  let thrown: unknown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  expect(isSecondFactorError(thrown)).toBe(true);
  expect(thrown).toMatchObject({ code: 'invalid_argument' });
  expect((thrown as Error).message.startsWith(`${fact} `)).toBe(true);
}
