/**
 * @module
 * What the bad-input property tests share (`bad-input.property.test.ts` for `TwoFactor`,
 * `bad-input.telegram.property.test.ts` for `TelegramPush`): the hostile values, the paths of a user, an
 * actor and an options bag, the known gaps, and the check that one hostile call is refused with a
 * documented code while the memory store's whole snapshot stays the same.
 */
import { isSecondFactorError } from '@secondfactor/core';
import type { PolicyConfig } from '@secondfactor/policy';
import type { MemoryStore } from '@secondfactor/store';
import fc from 'fast-check';
import { expect } from 'vitest';

// Runs per path, from a fixed seed so that a run in CI is repeatable; BAD_INPUT_SEED=random and
// BAD_INPUT_RUNS=300 search further locally (a failure prints its seed and counterexample).
const NUM_RUNS = Number(process.env.BAD_INPUT_RUNS ?? 20);
const SEED_SETTING = process.env.BAD_INPUT_SEED ?? '20251123';
const SEED = SEED_SETTING === 'random' ? undefined : Number(SEED_SETTING);

/** The `fc.assert` parameters of every property: `NUM_RUNS` runs from `SEED`. */
export const RUN_PARAMETERS: fc.Parameters<unknown> = {
  numRuns: NUM_RUNS,
  ...(SEED === undefined ? {} : { seed: SEED }),
};

// --- hostile values -------------------------------------------------------------------------------

/** Values no parameter of the service takes as they are; each arbitrary below filters out its valid ones. */
export const HOSTILE: readonly unknown[] = [
  undefined,
  null,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -1,
  -0,
  1.5,
  2 ** 53,
  10n,
  '',
  ' ',
  '\u0000',
  '\ud800',
  'a\nb',
  'x'.repeat(256),
  '9'.repeat(2 ** 16),
  true,
  false,
  Symbol('hostile'),
  () => 'x',
  [],
  [1, 2],
  ['totp'],
  {},
  Object.create(null),
  { toString: () => 'totp', valueOf: () => 0 },
  new String('totp'),
  new Date(Number.NaN),
  new Map(),
  new Uint8Array(20),
];

export const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.anything({
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withTypedArray: true,
    withNullPrototype: true,
    withSparseArray: true,
  }),
  fc.string({ minLength: 256, maxLength: 600 }),
);

/** `junk` without the values `valid` accepts. */
export const except = (valid: (value: unknown) => boolean): fc.Arbitrary<unknown> =>
  junk.filter((value) => !valid(value));

export const isString = (value: unknown): value is string => typeof value === 'string';
export const isTime = (value: unknown): boolean =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
export const oneOf =
  (...values: unknown[]) =>
  (value: unknown): boolean =>
    values.some((valid) => Object.is(valid, value));

/** A field left out of its object. */
export const MISSING: unique symbol = Symbol('missing');

export const badId: fc.Arbitrary<unknown> = fc.oneof(
  except(isString),
  fc.constantFrom('', '\u0000', 'a\nb', '\u007f', '\ud800', 'x'.repeat(256)),
);
export const badRoles: fc.Arbitrary<unknown> = fc.oneof(
  except(Array.isArray),
  fc.array(except(isString), { minLength: 1, maxLength: 3 }),
);
export const badLabel: fc.Arbitrary<unknown> = fc.oneof(
  except(oneOf(undefined)).filter((v) => !isString(v)),
  fc.constantFrom('', '   ', 'x'.repeat(256), 'a\u0000b'),
);
export const badTime: fc.Arbitrary<unknown> = except(isTime);

/** Objects with 1 to 3 keys none of `fields` names, holding hostile values. */
export const extraKeys = (fields: readonly string[]): fc.Arbitrary<Record<string, unknown>> =>
  fc.dictionary(
    fc.string({ minLength: 1, maxLength: 8 }).filter((key) => !fields.includes(key) && key !== '__proto__'),
    fc.constantFrom(...HOSTILE),
    { minKeys: 1, maxKeys: 3 },
  );

/** A plain object (`{}` or `Object.create(null)`), the only shape an options bag has. */
export const isPlainObject = (value: unknown): value is object =>
  typeof value === 'object' &&
  value !== null &&
  [Object.prototype, null].includes(Object.getPrototypeOf(value) as object | null);

// --- paths: `param` or `param.field` → hostile values for it ------------------------------------

/** `param`, `param.field` or `param <what>` (the whole argument) → hostile values for it. */
export type Paths = Record<string, fc.Arbitrary<unknown>>;

/** The policy's tenancy, which decides whether a user object names a tenant. */
export type Tenancy = NonNullable<PolicyConfig['tenancy']>;

/** Hostile values for a user object `name` of a single- or multi-tenant policy. */
export function userPaths(name: string, tenancy: Tenancy): Paths {
  return {
    [name]: junk.filter((value) => typeof value !== 'object' || value === null || !('id' in value)),
    [`${name}.id`]: fc.oneof(badId, fc.constant(MISSING)),
    [`${name}.roles`]: fc.oneof(badRoles, fc.constant(MISSING)),
    // Single-tenant: any tenant at all is wrong; multi-tenant: a tenant must be named.
    [`${name}.tenantId`]:
      tenancy === 'single' ? except(oneOf(undefined)) : fc.oneof(badId, fc.constant(MISSING)),
  };
}

/** Hostile values for an actor `name`: a user's plus his proofs, as of `now`. */
export function actorPaths(name: string, tenancy: Tenancy, now: number): Paths {
  const validTime = (value: unknown) => isTime(value) && (value as number) <= now;
  return {
    ...userPaths(name, tenancy),
    [`${name}.reauthenticatedAt`]: fc.oneof(
      except((value) => value === null || validTime(value)),
      fc.constantFrom(MISSING, now + 1),
    ),
    [`${name}.secondFactor`]: fc.oneof(
      except((value) => value === null),
      fc.constantFrom(
        MISSING,
        { at: now + 1, method: 'totp' },
        { at: Number.NaN, method: 'totp' },
        { at: now, method: 'nope' },
        { at: now, method: 'totp', trusted: true },
        { method: 'totp' },
      ),
    ),
  };
}

/** Hostile values for an options bag `name` whose every field is optional: any non-object, unknown keys. */
export function optionsPaths(name: string, fields: readonly string[], valid: object): Paths {
  return {
    [name]: except(
      (value) => value === undefined || (isPlainObject(value) && Object.keys(value).length === 0),
    ),
    [`${name} with unknown keys`]: extraKeys(fields).map((extra) => ({ ...valid, ...extra })),
  };
}

// --- what a method accepts today and should not ---------------------------------------------------

/**
 * A hostile value a method accepts today. Each is left out of its path's generated values and shown by
 * a test that the example is accepted; that test fails once the method refuses it, and the entry is
 * then removed. `values` says which of the path's values the gap covers (`all`: the whole path, whose
 * property then does not run).
 */
export interface KnownGap<Method extends string = string> {
  method: Method;
  path: string;
  example: unknown;
  values: 'all' | ((value: unknown) => boolean);
  why: string;
}

/** `arbitrary` without the values `gaps` cover. */
export const withoutGaps = (
  arbitrary: fc.Arbitrary<unknown>,
  gaps: readonly KnownGap[],
): fc.Arbitrary<unknown> =>
  arbitrary.filter((value) => gaps.every((gap) => gap.values === 'all' || !gap.values(value)));

// --- running a call -------------------------------------------------------------------------------

/** The arguments with `path` (`param`, `param.field` or `param <what>`) set to `value`; `MISSING` leaves it out. */
export function replaced(
  row: { params: readonly string[] },
  args: unknown[],
  path: string,
  value: unknown,
  extra?: Record<string, unknown>,
): unknown[] {
  const [param = '', field] = path.split(' ')[0]?.split('.') ?? [];
  const index = row.params.indexOf(param);
  if (index < 0) throw new Error(`no parameter ${param}`);
  const out = [...args];
  if (field === undefined || path.includes(' ')) {
    out[index] = value;
  } else {
    const copy: Record<string, unknown> = { ...(args[index] as object), ...extra };
    if (value === MISSING) delete copy[field];
    else copy[field] = value;
    out[index] = copy;
  }
  return out;
}

/** Calls `target[method]` and settles: a value, or what it threw (synchronously or not). */
export async function settle(
  target: object,
  method: string,
  args: unknown[],
): Promise<{ value?: unknown; error?: unknown }> {
  try {
    const call = (target as Record<string, (...values: unknown[]) => unknown>)[method];
    if (call === undefined) throw new Error(`no method ${method}`);
    return { value: await call(...args) };
  } catch (error) {
    return { error };
  }
}

export const show = (value: unknown): string => {
  if (value === MISSING) return '(left out)';
  try {
    return fc.stringify(value).slice(0, 200);
  } catch {
    return String(value);
  }
};

/** One hostile call: `value` at `path` of the valid `args` of `target[method]`. */
export interface HostileCall {
  target: object;
  method: string;
  /** The memory store behind `target`. */
  store: Pick<MemoryStore, 'exportSnapshot'>;
  params: readonly string[];
  args: unknown[];
  /** The documented codes a refusal may carry. */
  codes: readonly string[];
  path: string;
  value: unknown;
  /** Keys added to the object whose field `path` names. */
  extra?: Record<string, unknown> | undefined;
}

/** Makes the call: it must be refused with one of `codes`, the store unchanged. */
export async function refusedUnchanged(call: HostileCall): Promise<void> {
  const { method, path, value, extra, store } = call;
  const args = replaced(call, call.args, path, value, extra);
  const before = store.exportSnapshot();
  const { error } = await settle(call.target, method, args);
  const context = `${method} with ${path} = ${show(value)}${extra === undefined ? '' : ` and ${show(extra)}`}`;
  expect(error, `${context} was not refused`).toBeDefined();
  if (!isSecondFactorError(error))
    throw new Error(`${context} threw ${String((error as Error)?.stack ?? error)}`);
  expect(call.codes, `${context}: ${error.code} ${error.message}`).toContain(error.code);
  expect(store.exportSnapshot(), `${context} changed the store`).toBe(before);
}
