/**
 * @module
 * The query of a history page (`?since=…&limit=…`), read as the service's `HistoryOptions`.
 */
import { SecondFactorError } from '@secondfactor/core';
import type { HistoryOptions } from '@secondfactor/service';

const wholeNumber = (name: string, value: string): number => {
  if (!/^\d{1,16}$/.test(value)) {
    throw new SecondFactorError('invalid_argument', `query.${name} must be a whole number`);
  }
  return Number(value);
};

/** `since` and `limit` of the query; the service checks their ranges. @internal */
export function historyOptions(query: Readonly<Record<string, string | undefined>>): HistoryOptions {
  return {
    ...(query.since === undefined ? {} : { since: wholeNumber('since', query.since) }),
    ...(query.limit === undefined ? {} : { limit: wholeNumber('limit', query.limit) }),
  };
}
