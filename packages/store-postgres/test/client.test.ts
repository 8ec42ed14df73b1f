/**
 * The driver adapters: transactions run on one connection, and on a single pg Client the statements of
 * other callers never land inside someone else's open transaction.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../src/index';
import { DATABASE_URL, newPGlite, pgClient, pgliteClient, SERVER_SKIP } from './helpers';

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
