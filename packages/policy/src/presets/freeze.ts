/**
 * @module
 * Presets are shared constants: freeze them all the way down so one host cannot change another's.
 */

/** @internal Freezes `value` and everything it holds; returns it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
