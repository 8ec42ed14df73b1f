/**
 * @module
 * Ids inside Redis key names. Ids come from hosts and may hold any printable character, including the
 * `{`, `}` and `:` that give a key its structure, so every id is escaped before it becomes part of a key.
 */

// Letters, digits and `-._@` stand for themselves: UUIDs, numbers and e-mail-like ids stay readable and
// sort in the same order as JavaScript compares them.
const PLAIN = /^[A-Za-z0-9._@-]*$/;
const UNSAFE = /[^A-Za-z0-9._@-]/g;

/**
 * The id as it appears in key names and index members: every other UTF-16 code unit becomes `%` and
 * four hex digits. The mapping is injective (`%` itself is escaped), keeps `{`, `}`, `:` and the glob
 * characters out of key names, and survives lone surrogates, which UTF-8 could not carry.
 *
 * @example
 * ```ts
 * import { keyPart } from '@secondfactor/store-redis';
 *
 * keyPart('user-42'); // 'user-42'
 * keyPart('a}:b');    // 'a%007D%003Ab'
 * ```
 */
export function keyPart(id: string): string {
  if (PLAIN.test(id)) return id;
  return id.replace(UNSAFE, (unit) => `%${unit.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}
