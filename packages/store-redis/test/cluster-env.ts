/**
 * @module
 * Test helpers for the Redis Cluster tests: the cluster's nodes, starting the local cluster
 * (`.ci/redis-cluster.sh`: three masters on 127.0.0.1:7000–7002) when it is absent, a Cluster client
 * that fails fast, and the keys under a prefix across every master.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Cluster, type ClusterOptions, Redis } from 'ioredis';
import { readKey } from './redis-env';

/** One node of the cluster. */
export interface ClusterNodeAddress {
  readonly host: string;
  readonly port: number;
}

/** The cluster client options the tests change. */
export type ClusterClientOptions = Pick<
  ClusterOptions,
  | 'clusterRetryStrategy'
  | 'clusterNodeRetryStrategy'
  | 'enableOfflineQueue'
  | 'maxRedirections'
  | 'retryDelayOnClusterDown'
  | 'retryDelayOnFailover'
  | 'retryDelayOnTryAgain'
  | 'scripts'
> & {
  redisOptions?: Pick<
    NonNullable<ClusterOptions['redisOptions']>,
    'connectTimeout' | 'commandTimeout' | 'maxRetriesPerRequest' | 'autoResendUnfulfilledCommands'
  >;
};

/** The host `.ci/redis-cluster.sh` binds its nodes to. */
const LOCAL_HOST = '127.0.0.1';

/**
 * The cluster the tests use: `REDIS_CLUSTER_URL`, comma-separated node addresses
 * (`redis://127.0.0.1:7000,redis://127.0.0.1:7001,…`; `host:port` works too), else the local cluster.
 */
export const REDIS_CLUSTER_URL: string =
  process.env.REDIS_CLUSTER_URL ?? 'redis://127.0.0.1:7000,redis://127.0.0.1:7001,redis://127.0.0.1:7002';

/** The cluster's nodes, from {@link REDIS_CLUSTER_URL}. */
export const REDIS_CLUSTER_NODES: readonly ClusterNodeAddress[] = parseNodes(REDIS_CLUSTER_URL);

function parseNodes(list: string): ClusterNodeAddress[] {
  const nodes = list
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => {
      const url = new URL(item.includes('://') ? item : `redis://${item}`);
      const port = Number(url.port || '6379');
      if (url.protocol !== 'redis:' || url.hostname === '' || !Number.isInteger(port)) {
        throw new Error(`REDIS_CLUSTER_URL: cannot read node address '${item}' (expected redis://host:port)`);
      }
      // URL keeps the brackets of an IPv6 literal; ioredis wants the bare address.
      return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port };
    });
  if (nodes.length === 0) throw new Error(`REDIS_CLUSTER_URL names no node: '${list}'`);
  return nodes;
}

/** `.ci/redis-cluster.sh`, found from this file (packages/store-redis/test/) rather than the working directory. */
export const CLUSTER_SCRIPT: string = fileURLToPath(
  new URL('../../../.ci/redis-cluster.sh', import.meta.url),
);

/** The script's exit code when `redis-server` is not installed. */
const EXIT_NOT_INSTALLED = 3;

interface NodeHealth {
  readonly answers: boolean;
  readonly ok: boolean;
  readonly detail: string;
}

/** Whether one node answers and sees a healthy cluster (state ok, all slots assigned). */
async function probeNode(node: ClusterNodeAddress): Promise<NodeHealth> {
  const client = new Redis({
    host: node.host,
    port: node.port,
    lazyConnect: true,
    // No INFO ready check: against a port that accepts but never answers it would take 4 s to fail.
    enableReadyCheck: false,
    connectTimeout: 1_000,
    commandTimeout: 2_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // The connect rejection only says "Connection is closed."; the error event has the reason (ECONNREFUSED).
  let lastError: Error | undefined;
  client.on('error', (error: Error) => {
    lastError = error;
  });
  const name = `${node.host}:${node.port}`;
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    return { answers: false, ok: false, detail: `${name}: ${(lastError ?? (error as Error)).message}` };
  }
  try {
    const info = String(await client.cluster('INFO'));
    const field = (key: string): string | undefined =>
      new RegExp(`^${key}:(.*)$`, 'm').exec(info)?.[1]?.trim();
    const state = field('cluster_state');
    const slots = field('cluster_slots_assigned');
    return {
      answers: true,
      ok: state === 'ok' && slots === '16384',
      detail: `${name}: cluster_state:${state}, ${slots} slots assigned`,
    };
  } catch (error) {
    return { answers: true, ok: false, detail: `${name}: ${(error as Error).message}` };
  } finally {
    client.disconnect();
  }
}

interface ScriptRun {
  readonly code: number;
  readonly output: string;
}

function runClusterScript(
  command: 'start' | 'stop' | 'status',
  ports: readonly number[],
): Promise<ScriptRun> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      [CLUSTER_SCRIPT, command],
      {
        env: { ...process.env, REDIS_CLUSTER_PORTS: ports.join(' ') },
        timeout: 180_000,
        maxBuffer: 4 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`.trim();
        if (error === null) {
          resolve({ code: 0, output });
          return;
        }
        // A number when the script exited, else the spawn error's code (ENOENT) or null when killed.
        const code = typeof error.code === 'number' ? error.code : -1;
        resolve({ code, output: output || error.message });
      },
    );
  });
}

let ensured: Promise<string | undefined> | undefined;

/**
 * Makes sure the test cluster is up: when its nodes do not form a healthy cluster and they are the local
 * ones (127.0.0.1), starts (or repairs) them with `.ci/redis-cluster.sh start`, which takes about 2–3 s
 * cold. Resolves with a reason to skip only when `redis-server` is not installed; rejects with the
 * script's output when starting fails, or when a remote cluster is not healthy. Once per process;
 * concurrent callers in several processes are serialized by the script's lock.
 */
export function ensureLocalCluster(): Promise<string | undefined> {
  ensured ??= ensureCluster();
  return ensured;
}

async function ensureCluster(): Promise<string | undefined> {
  const nodes = REDIS_CLUSTER_NODES;
  const before = await Promise.all(nodes.map(probeNode));
  if (before.every((node) => node.ok)) return undefined;
  const describe = (health: readonly NodeHealth[]): string => health.map((node) => node.detail).join('; ');

  if (!nodes.every((node) => node.host === LOCAL_HOST)) {
    throw new Error(
      `the Redis Cluster at ${REDIS_CLUSTER_URL} is not healthy (${describe(before)}), and only a cluster on ` +
        `${LOCAL_HOST} can be started here`,
    );
  }
  const run = await runClusterScript(
    'start',
    nodes.map((node) => node.port),
  );
  if (run.code === EXIT_NOT_INSTALLED && before.every((node) => !node.answers)) {
    return `redis-server is not installed, so no local Redis Cluster can be started (${run.output})`;
  }
  if (run.code !== 0) {
    throw new Error(`${CLUSTER_SCRIPT} start failed (exit ${run.code}):\n${run.output}`);
  }
  const after = await Promise.all(nodes.map(probeNode));
  if (!after.every((node) => node.ok)) {
    throw new Error(
      `${CLUSTER_SCRIPT} start succeeded but the cluster is not healthy: ${describe(after)}\n${run.output}`,
    );
  }
  return undefined;
}

const lastErrors = new WeakMap<Cluster, Error>();

/**
 * A connected Cluster client, or a rejection within a few seconds. ioredis' defaults reconnect forever
 * (`clusterRetryStrategy`) and would keep a test process alive when the cluster is down; here neither the
 * cluster nor a node reconnects, and a command is retried at most once per node connection.
 */
export async function connectCluster(
  options: ClusterClientOptions = {},
  nodes: readonly ClusterNodeAddress[] = REDIS_CLUSTER_NODES,
): Promise<Cluster> {
  const cluster = new Cluster(
    nodes.map((node) => ({ host: node.host, port: node.port })),
    {
      lazyConnect: true,
      clusterRetryStrategy: () => null,
      slotsRefreshTimeout: 2_000,
      ...options,
      redisOptions: {
        connectTimeout: 2_000,
        maxRetriesPerRequest: 1,
        ...options.redisOptions,
      },
    },
  );
  // Without a listener ioredis prints these; the last one explains a failed connect.
  cluster.on('error', (error: Error) => lastErrors.set(cluster, error));
  cluster.on('node error', (error: Error) => lastErrors.set(cluster, error));
  try {
    await cluster.connect();
  } catch (error) {
    cluster.disconnect();
    const cause = lastErrors.get(cluster) ?? (error as Error);
    // ioredis reports "Connection is closed." for a refused node; ask each node for the reason.
    const health = await Promise.all(nodes.map(probeNode));
    const addresses = nodes.map((node) => `${node.host}:${node.port}`).join(', ');
    throw new Error(
      `cannot connect to the Redis Cluster at ${addresses}: ${cause.message} ` +
        `(${health.map((node) => node.detail).join('; ')})`,
      { cause },
    );
  }
  return cluster;
}

/**
 * Every key under `prefix`, from every master: a Cluster client sends SCAN to one random node only (and
 * has no `scanStream`), so each master is scanned on its own connection.
 */
export async function clusterKeysUnder(cluster: Cluster, prefix: string): Promise<string[]> {
  const keys = new Set<string>();
  await Promise.all(
    cluster.nodes('master').map(async (node) => {
      let cursor = '0';
      do {
        const [next, batch] = await node.scan(cursor, 'MATCH', `${globEscape(prefix)}*`, 'COUNT', 1000);
        cursor = next;
        for (const key of batch) keys.add(key);
      } while (cursor !== '0');
    }),
  );
  return [...keys].sort();
}

/** `text` as a SCAN pattern matching only itself. */
const globEscape = (text: string): string => text.replace(/[*?[\]\\]/g, '\\$&');

/**
 * Deletes every key under `prefix` on every master; resolves with the number deleted. One UNLINK per
 * key, routed by the client to the master of the key's slot: a multi-key UNLINK of keys in different
 * slots fails with CROSSSLOT, even when the slots live on the same master.
 */
export async function deleteClusterKeys(cluster: Cluster, prefix: string): Promise<number> {
  if (cluster.options.keyPrefix) {
    // The client would prefix the scanned (already complete) key names a second time.
    throw new Error('deleteClusterKeys needs a client without keyPrefix');
  }
  const keys = await clusterKeysUnder(cluster, prefix);
  let deleted = 0;
  for (let i = 0; i < keys.length; i += 200) {
    const counts = await Promise.all(keys.slice(i, i + 200).map((key) => cluster.unlink(key)));
    deleted += counts.reduce((sum, count) => sum + count, 0);
  }
  return deleted;
}

/** All keys under `prefix` on every master with their values, one JSON line per key (the suite's `dumpRaw`). */
export async function dumpClusterKeys(cluster: Cluster, prefix: string): Promise<string> {
  const lines: string[] = [];
  for (const key of await clusterKeysUnder(cluster, prefix)) {
    lines.push(JSON.stringify([key, await readKey(cluster, key)]));
  }
  return lines.join('\n');
}
