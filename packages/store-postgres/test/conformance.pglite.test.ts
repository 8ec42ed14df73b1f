/**
 * The storage conformance suite on PGlite: the same SQL as on a server, in the test process. An
 * in-memory PGlite is one process's database and is not kept: the store declares neither `multiProcess`
 * nor `durable`, and the suite skips those groups, saying why.
 */
import { runStoreConformance } from '@secondfactor/store/testing';
import { PostgresStore } from '../src/index';
import { dumpSchema, newPGlite, pgliteClient, randomSchema } from './helpers';

runStoreConformance('PostgresStore on PGlite', async () => {
  const db = newPGlite();
  const schema = randomSchema();
  const store = PostgresStore.fromPGlite(db, { schema });
  await store.migrate();
  return {
    store,
    dumpRaw: () => dumpSchema(pgliteClient(db), schema),
    close: async () => {
      await store.close();
      await db.close();
    },
  };
});
