/**
 * @module
 * What every operation gets: the table names and a `run` that maps driver errors to
 * `SecondFactorError`. One `run` is one round trip.
 */
import { SecondFactorError } from '@secondfactor/core';
import type { SqlClient, SqlRow } from './client';
import { storeError } from './errors';
import type { TableNames } from './names';

/** Shared by the operation modules of one store. */
export interface Context {
  readonly t: TableNames;
  /** Runs one statement for `operation` (named in error messages) and returns its rows. */
  run(operation: string, text: string, params: readonly unknown[]): Promise<SqlRow[]>;
}

// A lone UTF-16 surrogate has no UTF-8 form: the drivers send U+FFFD instead, so "\ud800x" and "\udc00x"
// would name the same row (one user reading another's records, checklist H3). The shared boundary checks
// refuse them in ids and text already; this second line covers every string parameter before sending.
const LONE_SURROGATE = /\p{Cs}/u;
const malformed = (value: unknown): boolean =>
  typeof value === 'string'
    ? LONE_SURROGATE.test(value)
    : Array.isArray(value) && value.some((item) => typeof item === 'string' && LONE_SURROGATE.test(item));

/** The context of a store over `client`. */
export function createContext(client: SqlClient, t: TableNames): Context {
  return {
    t,
    run: async (operation, text, params) => {
      if (params.some(malformed)) {
        throw new SecondFactorError(
          'invalid_argument',
          `PostgresStore.${operation}: ids and text must be well-formed Unicode (no lone surrogates)`,
        );
      }
      try {
        return (await client.query(text, params)).rows;
      } catch (error) {
        throw storeError(operation, error);
      }
    },
  };
}
