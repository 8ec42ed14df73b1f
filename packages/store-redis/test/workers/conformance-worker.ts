/**
 * @module
 * The worker the conformance suite forks for its races across processes (capabilities.multiProcess):
 * each process opens its own connection and a store under the suite's key prefix, with every script
 * already in the server's cache, so each racing call is one EVALSHA.
 */
import { conformanceWorker } from '@secondfactor/store/testing';
import { RedisStore } from '@secondfactor/store-redis';
import { Redis } from 'ioredis';

await conformanceWorker<{ url: string; prefix: string }>(async ({ url, prefix }) => {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  await client.connect();
  const store = new RedisStore(client, { prefix });
  await store.loadScripts();
  return {
    store,
    close: async () => {
      await client.quit();
    },
  };
});
