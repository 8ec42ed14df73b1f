/**
 * @module
 * Shape checks of the service's option objects and times, shared by every method: an options argument
 * is absent or a plain object with known keys only, and `null` never stands for "the default". A wrong
 * shape is `invalid_argument` naming the parameter, before anything is read or written.
 */
import { assertTime } from '@secondfactor/store';
import { invalidArgument } from './errors';

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/**
 * The options object `value` (absent reads as `{}`), checked to be a plain object whose keys are all in
 * `known`. @internal
 */
export function checkOptionsObject(
  name: string,
  value: unknown,
  known: readonly string[],
): Record<string, unknown> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) throw invalidArgument(name, 'must be a plain object');
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw invalidArgument(`${name}.${key}`, 'is not a known option');
  }
  return value;
}

/** An optional time in Unix ms: absent, or a time the store accepts (`null` is not "absent"). @internal */
export function optionalTime(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  assertTime(name, value);
  return value;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the class names the characters refused.
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A user-visible name (a device label, an account name): 1 to 255 characters, no control characters. @internal */
export function checkName(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 255 || CONTROL.test(value)) {
    throw invalidArgument(name, 'must be 1 to 255 characters without control characters');
  }
  return value;
}
