/**
 * The shared storage conformance suite on the local Redis Cluster (three masters, 127.0.0.1:7000–7002,
 * `.ci/redis-cluster.sh`, started here when absent), under a random key prefix deleted afterwards: the
 * same suite as `conformance.test.ts`, races across 8 processes included, each process with a Cluster
 * client of its own. Skipped, with the reason printed, only where `redis-server` is not installed; a
 * cluster that cannot be started fails the file instead.
 */
import { fileURLToPath } from 'node:url';
import { runStoreConformance } from '@secondfactor/store/testing';
import { RedisStore } from '@secondfactor/store-redis';
import {
  connectCluster,
  deleteClusterKeys,
  dumpClusterKeys,
  ensureLocalCluster,
  REDIS_CLUSTER_NODES,
} from './cluster-env';
import { randomPrefix } from './redis-env';

const skip = await ensureLocalCluster();

runStoreConformance(
  'redis cluster',
  async () => {
    const cluster = await connectCluster();
    const prefix = randomPrefix();
    const store = new RedisStore(cluster, { prefix });
    await store.loadScripts();
    return {
      store,
      processWorker: {
        script: fileURLToPath(new URL('./workers/conformance-worker.ts', import.meta.url)),
        args: { nodes: REDIS_CLUSTER_NODES, prefix },
      },
      dumpRaw: () => dumpClusterKeys(cluster, prefix),
      close: async () => {
        await deleteClusterKeys(cluster, prefix);
        await cluster.quit();
      },
    };
  },
  {
    skip,
    expiresByTtl:
      'RedisStore writes every challenge, pending enrollment, trusted device, attempt counter and the id claim of each with a TTL, so Redis removes it retentionMs after it lapses and sweepExpired has nothing to do (test/ttl.test.ts checks the TTLs)',
  },
);
