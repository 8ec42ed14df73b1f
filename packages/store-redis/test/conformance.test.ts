/**
 * The shared storage conformance suite on a real Redis server (REDIS_URL), under a random key prefix
 * that is deleted afterwards. Skipped, with the reason printed, when no server answers.
 */
import { runStoreConformance } from '@secondfactor/store/testing';
import { RedisStore } from '@secondfactor/store-redis';
import { connectClient, deleteKeys, dumpKeys, randomPrefix, redisSkipReason } from './redis-env';

const skip = await redisSkipReason();

runStoreConformance(
  'redis',
  async () => {
    const client = await connectClient();
    const prefix = randomPrefix();
    const store = new RedisStore(client, { prefix });
    return {
      store,
      dumpRaw: () => dumpKeys(client, prefix),
      close: async () => {
        await deleteKeys(client, prefix);
        await client.quit();
      },
    };
  },
  { skip },
);
