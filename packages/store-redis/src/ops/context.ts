/**
 * @module
 * What every operation of the adapter gets: a way to run one script, and the TTL retention margin.
 */
import { SecondFactorError } from '@secondfactor/core';
import type { ScriptName } from '../scripts/index';

/** The adapter's state as the operation modules see it. */
export interface OpContext {
  /** Runs one script with `KEYS[1] = prefix` and `args` as ARGV. */
  run(name: ScriptName, args: readonly string[]): Promise<unknown>;
  /** How long Redis keeps an expiring record after its end on the injected clock, as a decimal string. */
  readonly retainMs: string;
}

/** The error of an insert whose id (or digest) is taken. */
export const conflict = (name: string): SecondFactorError =>
  new SecondFactorError('conflict', `${name} already exists`);
