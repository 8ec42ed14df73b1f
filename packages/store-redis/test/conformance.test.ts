/**
 * The shared storage conformance suite on a real Redis server (REDIS_URL), under a random key prefix
 * that is deleted afterwards. Skipped, with the reason printed, when no server answers. The store
 * declares `multiProcess`, so the suite also races it from 8 processes, each with its own connection
 * (`workers/conformance-worker.ts`); it declares `durable` only when told the server persists, which the
 * test server is not asked to, so the durability group is skipped with that reason.
 */
import { fileURLToPath } from 'node:url';
import { runStoreConformance } from '@secondfactor/store/testing';
import { RedisStore } from '@secondfactor/store-redis';
import { connectClient, deleteKeys, dumpKeys, REDIS_URL, randomPrefix, redisSkipReason } from './redis-env';

const skip = await redisSkipReason();

runStoreConformance(
  'redis',
  async () => {
    const client = await connectClient();
    const prefix = randomPrefix();
    const store = new RedisStore(client, { prefix });
    return {
      store,
      processWorker: {
        script: fileURLToPath(new URL('./workers/conformance-worker.ts', import.meta.url)),
        args: { url: REDIS_URL, prefix },
      },
      dumpRaw: () => dumpKeys(client, prefix),
      close: async () => {
        await deleteKeys(client, prefix);
        await client.quit();
      },
    };
  },
  {
    skip,
    expiresByTtl:
      'RedisStore writes every challenge, pending enrollment, trusted device, attempt counter and the id claim of each with a TTL, so Redis removes it retentionMs after it lapses and sweepExpired has nothing to do (test/ttl.test.ts checks the TTLs)',
  },
);
