/**
 * @module
 * The schema the adapter owns and the quoted names of its tables. The schema name is checked before it
 * is ever spliced into SQL, so it cannot carry an injection.
 */
import { SecondFactorError } from '@secondfactor/core';

/**
 * The schema used when none is configured.
 *
 * @example
 * ```ts
 * import { DEFAULT_SCHEMA } from '@secondfactor/store-postgres';
 *
 * const table = `${DEFAULT_SCHEMA}.credentials`; // 'secondfactor.credentials'
 * ```
 */
export const DEFAULT_SCHEMA = 'secondfactor';

// Lowercase so the quoted and unquoted spellings name the same schema; 63 bytes is PostgreSQL's NAMEDATALEN - 1.
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Quoted, schema-qualified table names, ready to splice into statements.
 *
 * @example
 * ```ts
 * import type { TableNames } from '@secondfactor/store-postgres';
 *
 * const tables: (keyof TableNames)[] = ['credentials', 'challenges', 'failures']; // '"secondfactor"."credentials"', …
 * ```
 */
export interface TableNames {
  readonly schema: string;
  readonly migrations: string;
  readonly userSettings: string;
  readonly credentials: string;
  readonly pendingEnrollments: string;
  readonly backupCodeSets: string;
  readonly backupCodes: string;
  readonly challenges: string;
  readonly failures: string;
  readonly trustedDevices: string;
  readonly auditEvents: string;
  readonly sessionEpochs: string;
  readonly tenantSettings: string;
}

/** The tables of a schema. Throws `invalid_argument` for a schema name that is not a plain lowercase identifier. */
export function tableNames(schema: string = DEFAULT_SCHEMA): TableNames {
  if (typeof schema !== 'string' || !SCHEMA_NAME.test(schema)) {
    throw new SecondFactorError(
      'invalid_argument',
      'options.schema must be a lowercase identifier of 1 to 63 characters (a-z, 0-9, _)',
    );
  }
  const q = (table: string): string => `"${schema}"."${table}"`;
  return {
    schema: `"${schema}"`,
    migrations: q('schema_migrations'),
    userSettings: q('user_settings'),
    credentials: q('credentials'),
    pendingEnrollments: q('pending_enrollments'),
    backupCodeSets: q('backup_code_sets'),
    backupCodes: q('backup_codes'),
    challenges: q('challenges'),
    failures: q('failures'),
    trustedDevices: q('trusted_devices'),
    auditEvents: q('audit_events'),
    sessionEpochs: q('session_epochs'),
    tenantSettings: q('tenant_settings'),
  };
}
