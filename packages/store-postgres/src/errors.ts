/**
 * @module
 * Turns a driver error into a `SecondFactorError`. Driver errors can quote the statement, its parameters
 * (digests, ciphertexts) or a conflicting key, so none of that text is kept: only the SQLSTATE, the
 * constraint name and, for errors without a SQLSTATE (socket, pool), the driver's message.
 */
import { isSecondFactorError, SecondFactorError } from '@secondfactor/core';

// SQLSTATE classes that mean "try again later", not "this statement is wrong" (PostgreSQL Appendix A):
// 08 connection exception, 40 transaction rollback (serialization, deadlock), 53 insufficient resources,
// 55 object not in prerequisite state (lock not available), 57 operator intervention (terminated, shutdown),
// 58 system error.
const TRANSIENT_CLASSES: ReadonlySet<string> = new Set(['08', '40', '53', '55', '57', '58']);

function sqlStateOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, severity } = error as { code?: unknown; severity?: unknown };
  // Server errors carry a severity; Node socket errors have string codes too (EPIPE), but no severity.
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof severity === 'string'
    ? code
    : undefined;
}

function safeCause(error: unknown, sqlState: string | undefined): Error {
  if (sqlState !== undefined) {
    const constraint = (error as { constraint?: unknown }).constraint;
    const suffix =
      typeof constraint === 'string' && /^[a-z0-9_]{1,63}$/.test(constraint) ? ` (${constraint})` : '';
    return new Error(`SQLSTATE ${sqlState}${suffix}`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new Error(message.slice(0, 200));
}

/**
 * The error to throw for a failed statement of `operation` (e.g. `consumeBackupCode`):
 * - unique violation → `conflict` (an id that already exists);
 * - missing schema or table → `store_unavailable`, asking for `migrate()`;
 * - lost connection, closed pool, server shutdown, deadlock → `store_unavailable`;
 * - anything else (a statement the server rejects) → `internal`.
 */
export function storeError(operation: string, error: unknown): SecondFactorError {
  if (isSecondFactorError(error)) return error;
  const sqlState = sqlStateOf(error);
  const cause = safeCause(error, sqlState);
  const where = `PostgresStore.${operation}`;
  if (sqlState === '23505') {
    return new SecondFactorError('conflict', `${where}: a record with this id already exists`, { cause });
  }
  if (sqlState === '42P01' || sqlState === '3F000') {
    return new SecondFactorError(
      'store_unavailable',
      `${where}: the schema is missing; run migrate() first`,
      {
        cause,
      },
    );
  }
  if (sqlState === undefined || TRANSIENT_CLASSES.has(sqlState.slice(0, 2))) {
    return new SecondFactorError('store_unavailable', `${where}: the database is unavailable`, { cause });
  }
  return new SecondFactorError('internal', `${where}: the database rejected the statement`, { cause });
}
