/**
 * The bound on named statements: pgClient names statements by their text in a map shared by the module,
 * so this test has a file (and a module instance) of its own.
 */
import { describe, expect, it } from 'vitest';
import { pgClient, SERVER_SKIP, serverClient } from './helpers';

describe.skipIf(SERVER_SKIP !== undefined)('pgClient: the bound on named prepared statements', () => {
  it('past 512 distinct texts, the rest run unnamed, so a client building statements cannot fill the server', async () => {
    const client = await serverClient();
    try {
      const sql = pgClient(client);
      for (let i = 0; i < 600; i++) {
        expect((await sql.query(`SELECT $1::int AS n /* dynamic ${i} */`, [i])).rows).toEqual([{ n: i }]);
      }
      const { rows } = await client.query('SELECT count(*)::int AS prepared FROM pg_prepared_statements');
      expect(rows[0].prepared).toBe(512);
    } finally {
      await client.end();
    }
  });
});
