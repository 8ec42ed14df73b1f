/**
 * @module
 * The store the demo runs on: memory by default, PostgreSQL with `DATABASE_URL` (migrated at start),
 * Redis with `REDIS_URL`. The drivers are created here and closed with the app.
 */
import { MemoryStore, type SecondFactorStore } from '@secondfactor/store';
import { PostgresStore } from '@secondfactor/store-postgres';
import { RedisStore } from '@secondfactor/store-redis';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { DemoConfig } from './config';

export interface OpenStore {
  store: SecondFactorStore;
  /** For the start banner. */
  description: string;
  close(): Promise<void>;
}

/** Where the demo's records live in a shared server (the tests use their own). */
export interface StoreNames {
  /** @default 'secondfactor_demo' */
  schema?: string | undefined;
  /** @default 'sfdemo:' */
  prefix?: string | undefined;
}

/** Opens the store `config` names. */
export async function openStore(config: DemoConfig, names: StoreNames = {}): Promise<OpenStore> {
  const schema = names.schema ?? 'secondfactor_demo';
  const prefix = names.prefix ?? 'sfdemo:';
  if (config.store === 'postgres') {
    const pool = new pg.Pool({ connectionString: config.databaseUrl });
    pool.on('error', (error) => console.error('PostgreSQL:', error.message));
    const store = PostgresStore.fromPg(pool, { schema });
    await store.migrate();
    return { store, description: `PostgreSQL (schema ${schema})`, close: () => pool.end() };
  }
  if (config.store === 'redis') {
    const client = new Redis(config.redisUrl ?? '', {
      maxRetriesPerRequest: 2,
      autoResendUnfulfilledCommands: false,
    });
    client.on('error', (error) => console.error('Redis:', error.message));
    const store = new RedisStore(client, { prefix });
    return {
      store,
      description: `Redis (keys ${prefix}*)`,
      close: async () => {
        await client.quit();
      },
    };
  }
  return { store: new MemoryStore(), description: 'memory (gone when the app stops)', close: async () => {} };
}
