/**
 * `listAddressHolders` on PostgreSQL costs the holders of one address, not the size of the credentials
 * table: in a schema with many credentials, the plan of both spellings of its statement (a tenant's
 * query and a query without a tenant) finds the rows through the index of migration 7 and scans no table
 * whole. Checked with EXPLAIN on PGlite and, when DATABASE_URL is set, on the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore, type SqlClient } from '../src/index';
import { tableNames } from '../src/names';
import { addressHoldersStatement } from '../src/ops/credentials';
import {
  dropSchema,
  newPGlite,
  pgClient,
  pgliteClient,
  randomSchema,
  SERVER_SKIP,
  serverPool,
} from './helpers';

const ROWS = 20_000;

type PlanNode = { 'Node Type': string; 'Index Name'?: string; Plans?: PlanNode[] };

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/**
 * ROWS credentials: out-of-band ones of 100 tenants (a fifth without a tenant), each address held by
 * two users, and TOTP ones without an address. Then ANALYZE.
 */
async function seed(sql: SqlClient, schema: string): Promise<void> {
  const t = tableNames(schema);
  await sql.query(
    `INSERT INTO ${t.credentials} (id, user_id, tenant_id, kind, label, address, created_at)
     SELECT 'c' || i, 'u' || i, CASE WHEN i % 5 = 0 THEN NULL ELSE 't' || (i % 100) END, 'sms', 'Phone',
            '+1555' || lpad((i / 2)::text, 7, '0'), 1
     FROM generate_series(1, ${ROWS}) AS i`,
    [],
  );
  await sql.query(
    `INSERT INTO ${t.credentials} (id, user_id, kind, label, secret_ciphertext, algorithm, digits, period, created_at)
     SELECT 'o' || i, 'u' || i, 'totp', 'App', 'sf1.k.' || md5(i::text), 'SHA1', 6, 30, 1
     FROM generate_series(1, ${ROWS}) AS i`,
    [],
  );
  await sql.query(`ANALYZE ${t.credentials}`, []);
}

function addressPlanTests(open: () => Promise<{ sql: SqlClient; close: () => Promise<void> }>): void {
  let sql: SqlClient;
  let close: () => Promise<void>;
  const schema = randomSchema('sf_address');

  beforeAll(async () => {
    ({ sql, close } = await open());
    await new PostgresStore(sql, { schema }).migrate();
    await seed(sql, schema);
  }, 120_000);
  afterAll(async () => {
    await dropSchema(sql, schema);
    await close();
  });

  for (const [name, tenant, params] of [
    ['of a tenant', true, ['+15550000021', 10, 't42']],
    ['without a tenant', false, ['+15550000020', 10]],
  ] as const) {
    it(`EXPLAIN: a query ${name} reads the index credentials_tenant_address and scans no table whole`, async () => {
      const { rows } = await sql.query(
        `EXPLAIN (FORMAT JSON) ${addressHoldersStatement(tableNames(schema), tenant)}`,
        params,
      );
      const raw = rows[0]?.['QUERY PLAN'];
      const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as [{ Plan: PlanNode }];
      const all = nodes(plan[0].Plan);
      expect(all.map((node) => node['Node Type'])).not.toContain('Seq Scan');
      expect(all.map((node) => node['Index Name'])).toContain('credentials_tenant_address');
    });
  }

  it('answers only the holders of one address in the tenant asked for, or only the tenant-less ones', async () => {
    const store = new PostgresStore(sql, { schema });
    // i = 42 and 43 share the number +15550000021 (i / 2 = 21); 42 % 100 and 43 % 100 are their tenants.
    expect(await store.listAddressHolders({ tenantId: 't42', address: '+15550000021' })).toEqual([
      { userId: 'u42', tenantId: 't42', credentialId: 'c42', kind: 'sms' },
    ]);
    // i = 40 (no tenant: 40 % 5 = 0) and 41 (tenant t41) share +15550000020.
    expect(await store.listAddressHolders({ address: '+15550000020' })).toEqual([
      { userId: 'u40', credentialId: 'c40', kind: 'sms' },
    ]);
  });
}

describe('listAddressHolders on PGlite', () => {
  addressPlanTests(async () => {
    const db = newPGlite();
    return { sql: pgliteClient(db), close: () => db.close() };
  });
});

describe.skipIf(SERVER_SKIP !== undefined)('listAddressHolders on PostgreSQL', () => {
  addressPlanTests(async () => {
    const pool = serverPool({ max: 2 });
    return { sql: pgClient(pool), close: () => pool.end() };
  });
});
