/**
 * @module
 * What every operation of the adapter gets: a way to run one script, the key names, whether the client
 * is a Redis Cluster, and the TTL retention margin.
 */
import { SecondFactorError } from '@secondfactor/core';
import type { KeyNames } from '../keys';
import type { ScriptName } from '../scripts/index';

/** The adapter's state as the operation modules see it. */
export interface OpContext {
  /** Runs one script with `keys` as KEYS (the first names its slot) and `args` as ARGV. */
  run(name: ScriptName, keys: readonly string[], args: readonly string[]): Promise<unknown>;
  readonly key: KeyNames;
  /** A Redis Cluster: each script stays in one slot, and the parts in other slots are steps of their own. */
  readonly cluster: boolean;
  /** How long Redis keeps an expiring record after its end on the injected clock, in milliseconds. */
  readonly retainMs: number;
}

/**
 * How long, in Redis time, a cluster's in-flight marks hold: a use of a credential between its steps
 * (`P{u:…}:use:<id>`), a login between its steps (`P{u:…}:login:use`), and an id claim whose record may
 * still be on its way. A process that dies in between holds the credential or the user's logins, or
 * keeps other users from the id, this long at most.
 */
export const LEASE_MS = 5_000;

/** The KEYS of a script in `base`'s slot: on a single node with the prefix, to write other slots in the same step. */
export const withRoot = (ctx: OpContext, base: string): string[] =>
  ctx.cluster ? [base] : [base, ctx.key.root];

/** An expiring record's TTL: until `ends` on the caller's clock, plus the retention margin (the Lua `ttl`). */
export const lifeMs = (ends: number, now: number, retainMs: number): number =>
  Math.max(ends - now, 0) + retainMs;

/** A random token that marks one caller's claim or use (64 bits, hex). */
export function token(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(8)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');
}

/** The error of an insert whose id (or digest) is taken. */
export const conflict = (name: string): SecondFactorError =>
  new SecondFactorError('conflict', `${name} already exists`);
