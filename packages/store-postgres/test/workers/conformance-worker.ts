/**
 * @module
 * The worker the conformance suite forks for its races across processes (capabilities.multiProcess):
 * each process opens its own pool on the server and a store over the suite's schema.
 */
import { conformanceWorker } from '@secondfactor/store/testing';
import pg from 'pg';
import { PostgresStore } from '../../src/index';

await conformanceWorker<{ url: string; schema: string }>(async ({ url, schema }) => {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => undefined);
  // Connect before the common start, so the race measures the statements, not the TCP handshakes.
  (await pool.connect()).release();
  return { store: PostgresStore.fromPg(pool, { schema }), close: () => pool.end() };
});
