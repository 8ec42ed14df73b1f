/**
 * @module
 * The worker the conformance suite forks for its races across processes (capabilities.multiProcess):
 * each process opens its own connection (to the server at `url`, or to the cluster of `nodes`) and a
 * store under the suite's key prefix, with every script already in the cache, so each racing call starts
 * with an EVALSHA.
 */
import { conformanceWorker } from '@secondfactor/store/testing';
import { RedisStore } from '@secondfactor/store-redis';
import { Cluster, Redis } from 'ioredis';

type Args = { url: string; prefix: string } | { nodes: { host: string; port: number }[]; prefix: string };

await conformanceWorker<Args>(async (args) => {
  const client =
    'nodes' in args
      ? new Cluster(args.nodes, {
          lazyConnect: true,
          clusterRetryStrategy: () => null,
          redisOptions: { maxRetriesPerRequest: 1 },
        })
      : new Redis(args.url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  await client.connect();
  const store = new RedisStore(client, { prefix: args.prefix });
  await store.loadScripts();
  return {
    store,
    close: async () => {
      await client.quit();
    },
  };
});
