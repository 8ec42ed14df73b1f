/**
 * The storage conformance suite on a real PostgreSQL server (DATABASE_URL), in a schema of its own
 * that is dropped afterwards. Skipped, with the reason printed, when DATABASE_URL is not set. The store
 * declares `multiProcess` and `durable`, so the suite also races it from 8 processes (each with a pool
 * of its own, `workers/conformance-worker.ts`) and reads records back through a second store.
 */
import { fileURLToPath } from 'node:url';
import { runStoreConformance } from '@secondfactor/store/testing';
import { PostgresStore } from '../src/index';
import {
  DATABASE_URL,
  dropSchema,
  dumpSchema,
  pgClient,
  randomSchema,
  SERVER_SKIP,
  serverPool,
} from './helpers';

runStoreConformance(
  'PostgresStore on PostgreSQL (pg Pool)',
  async () => {
    const pool = serverPool();
    const schema = randomSchema();
    const store = PostgresStore.fromPg(pool, { schema });
    await store.migrate();
    return {
      store,
      processWorker: worker(schema),
      reopen: async () => PostgresStore.fromPg(pool, { schema }),
      dumpRaw: () => dumpSchema(pgClient(pool), schema),
      close: async () => {
        await store.close();
        await dropSchema(pgClient(pool), schema);
        await pool.end();
      },
    };
  },
  { skip: SERVER_SKIP },
);

const worker = (schema: string) => ({
  script: fileURLToPath(new URL('./workers/conformance-worker.ts', import.meta.url)),
  args: { url: DATABASE_URL, schema },
});

// A single connection is the other way to use pg: statements of concurrent callers queue on it.
runStoreConformance(
  'PostgresStore on PostgreSQL (one pg Client)',
  async () => {
    const pg = await import('pg');
    const client = new pg.default.Client({ connectionString: DATABASE_URL });
    client.on('error', () => undefined);
    await client.connect();
    const schema = randomSchema();
    const store = PostgresStore.fromPg(client, { schema });
    await store.migrate();
    return {
      store,
      processWorker: worker(schema),
      reopen: async () => PostgresStore.fromPg(client, { schema }),
      dumpRaw: () => dumpSchema(pgClient(client), schema),
      close: async () => {
        await dropSchema(pgClient(client), schema);
        await client.end();
      },
    };
  },
  { skip: SERVER_SKIP },
);
