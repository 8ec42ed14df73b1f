/**
 * The driver adapters: transactions run on one connection, and on a single pg Client the statements of
 * other callers never land inside someone else's open transaction. Over pg, statements outside a
 * transaction are named prepared statements, each prepared once per connection.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../src/index';
import {
  DATABASE_URL,
  newPGlite,
  pgClient,
  pgliteClient,
  randomSchema,
  SERVER_SKIP,
  serverClient,
} from './helpers';

describe('pgliteClient', () => {
  const db = newPGlite();
  afterAll(() => db.close());

  it('commits a transaction whole, or rolls it back whole when the callback throws', async () => {
    const sql = pgliteClient(db);
    await sql.query('CREATE TABLE t (n integer)', []);
    await expect(
      sql.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (1)', []);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await sql.transaction(async (tx) => {
      await tx.query('INSERT INTO t VALUES (2)', []);
    });
    expect((await sql.query('SELECT n FROM t', [])).rows).toEqual([{ n: 2 }]);
  });

  it('refuses something that is not a SqlClient', () => {
    expect(() => new PostgresStore({} as never)).toThrow(/SqlClient/);
  });

  it('declares what the database can promise: PGlite is one process’s, and durable only when persisted', async () => {
    expect(PostgresStore.fromPGlite(db).capabilities).toEqual({ multiProcess: false, durable: false });
    expect(new PostgresStore(pgliteClient(db)).capabilities).toEqual({ multiProcess: false, durable: false });
    const dir = mkdtempSync(join(tmpdir(), 'sf-pglite-'));
    const persisted = new PGlite(dir);
    try {
      expect(PostgresStore.fromPGlite(persisted).capabilities).toEqual({
        multiProcess: false,
        durable: true,
      });
    } finally {
      await persisted.close();
      rmSync(dir, { recursive: true, force: true });
    }
    // Any other client stands for a server that every process of the application shares.
    expect(
      PostgresStore.fromPg(new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none' }))
        .capabilities,
    ).toEqual({
      multiProcess: true,
      durable: true,
    });
  });
});

describe.skipIf(SERVER_SKIP !== undefined)('pgClient over one pg Client', () => {
  it('a statement issued while a transaction is open waits for it and is not part of it', async () => {
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    const sql = pgClient(client);
    await sql.query('CREATE TEMP TABLE t (n integer)', []);
    let outside: Promise<unknown> | undefined;
    await expect(
      sql.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (1)', []);
        // Issued by another caller mid-transaction: it must not be rolled back with the transaction.
        outside = sql.query('INSERT INTO t VALUES (2)', []);
        await tx.query('SELECT 1', []);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await outside;
    expect((await sql.query('SELECT n FROM t', [])).rows).toEqual([{ n: 2 }]);
    await client.end();
  });
});

describe.skipIf(SERVER_SKIP !== undefined)('pgClient: named prepared statements', () => {
  /** The statements prepared on `client`'s connection, read on that connection. */
  async function preparedOn(client: pg.Client): Promise<{ name: string; statement: string }[]> {
    const { rows } = await client.query('SELECT name, statement FROM pg_prepared_statements ORDER BY name');
    return rows as { name: string; statement: string }[];
  }

  it('prepares a statement once per connection and afterwards only executes it', async () => {
    const client = await serverClient();
    try {
      const sql = pgClient(client);
      const text = 'SELECT $1::int + 1 AS n /* prepared once */';
      expect((await sql.query(text, [1])).rows).toEqual([{ n: 2 }]);
      expect((await sql.query(text, [41])).rows).toEqual([{ n: 42 }]);
      const prepared = (await preparedOn(client)).filter((row) => row.statement === text);
      expect(prepared).toHaveLength(1);
      expect(prepared[0]?.name).toMatch(/^sf_[0-9a-z]+_\d+$/);
    } finally {
      await client.end();
    }
  });

  it('sends statements unnamed with preparedStatements: false, and always inside a transaction', async () => {
    const client = await serverClient();
    try {
      const unnamed = pgClient(client, { preparedStatements: false });
      expect((await unnamed.query('SELECT $1::int AS n /* unnamed */', [7])).rows).toEqual([{ n: 7 }]);
      const named = pgClient(client);
      await named.transaction(async (tx) => {
        expect((await tx.query('SELECT $1::int AS n /* in a transaction */', [8])).rows).toEqual([{ n: 8 }]);
      });
      expect(await preparedOn(client)).toEqual([]);
    } finally {
      await client.end();
    }
  });

  it('two clients over one connection share the name of a text and never give one name to two texts', async () => {
    const client = await serverClient();
    try {
      const first = pgClient(client);
      const second = pgClient(client);
      await first.query('SELECT $1::text AS a /* shared */', ['x']);
      await second.query('SELECT $1::text AS a /* shared */', ['y']);
      await second.query('SELECT $1::text AS b /* second only */', ['z']);
      const prepared = await preparedOn(client);
      expect(prepared.map((row) => row.statement).sort()).toEqual([
        'SELECT $1::text AS a /* shared */',
        'SELECT $1::text AS b /* second only */',
      ]);
      expect(new Set(prepared.map((row) => row.name)).size).toBe(2);
    } finally {
      await client.end();
    }
  });

  it('a store statement prepared before its schema was dropped fails cleanly, then runs again after migrate()', async () => {
    const client = await serverClient();
    const schema = randomSchema();
    try {
      const store = PostgresStore.fromPg(client, { schema });
      await store.migrate();
      expect(await store.getFailures('key-1', { now: 1_700_000_000_000 })).toMatchObject({ count: 0 });
      await client.query(`DROP SCHEMA "${schema}" CASCADE`);
      await expect(store.getFailures('key-1', { now: 1_700_000_000_000 })).rejects.toMatchObject({
        code: 'store_unavailable',
      });
      await store.migrate();
      expect(await store.getFailures('key-1', { now: 1_700_000_000_000 })).toMatchObject({ count: 0 });
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  });

  it('a statement whose result column changed type under it (a migration) is prepared afresh and answers', async () => {
    const client = await serverClient();
    try {
      const sql = pgClient(client);
      await client.query('CREATE TEMP TABLE digests (id int, digest text)');
      await client.query(`INSERT INTO digests VALUES (1, 'ab')`);
      const text = 'SELECT digest FROM digests WHERE id = $1 /* type changes */';
      expect((await sql.query(text, [1])).rows).toEqual([{ digest: 'ab' }]);
      const before = (await preparedOn(client)).find((row) => row.statement === text)?.name;
      await client.query(`ALTER TABLE digests ALTER COLUMN digest TYPE bytea USING decode(digest, 'hex')`);
      expect((await sql.query(text, [1])).rows).toEqual([{ digest: Buffer.from([0xab]) }]);
      const after = (await preparedOn(client)).filter((row) => row.statement === text).map((row) => row.name);
      expect(after).toContain(before);
      expect(after).toHaveLength(2);
      // The new name is kept: the next call needs no second try.
      expect((await sql.query(text, [1])).rows).toEqual([{ digest: Buffer.from([0xab]) }]);
      expect((await preparedOn(client)).filter((row) => row.statement === text)).toHaveLength(2);
    } finally {
      await client.end();
    }
  });

  it('refuses options that are not an object with a boolean preparedStatements', () => {
    const pool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none' });
    expect(() => pgClient(pool, null as never)).toThrow(
      expect.objectContaining({ code: 'invalid_argument' }),
    );
    expect(() => pgClient(pool, { preparedStatements: 'yes' as never })).toThrow(
      expect.objectContaining({ code: 'invalid_argument' }),
    );
    expect(() => PostgresStore.fromPg(pool, { preparedStatements: 1 as never })).toThrow(
      expect.objectContaining({ code: 'invalid_argument' }),
    );
  });
});
