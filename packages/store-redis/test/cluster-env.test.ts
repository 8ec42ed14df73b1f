/**
 * The Redis Cluster the cluster tests run on (`.ci/redis-cluster.sh`, started here when absent): healthy,
 * three masters over all 16384 slots; keys of one hash tag share a slot and one script may use several of
 * them; a script naming keys of two slots is refused with CROSSSLOT before it runs (the property the
 * store will rely on); the prefix cleanup reaches every master.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clusterKeysUnder,
  connectCluster,
  deleteClusterKeys,
  ensureLocalCluster,
  REDIS_CLUSTER_NODES,
} from './cluster-env';
import { randomPrefix } from './redis-env';

const skip = await ensureLocalCluster();
if (skip !== undefined) console.warn(`[store-redis] cluster tests skipped: ${skip}`);

/** Sets two keys and reads them back: a script that needs both keys on one node. */
const PAIR_SET =
  "redis.call('SET', KEYS[1], ARGV[1]); redis.call('SET', KEYS[2], ARGV[2]); " +
  "return {redis.call('GET', KEYS[1]), redis.call('GET', KEYS[2])}";

const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex');

/** A TCP port nothing listens on (bound once by the OS, then released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

describe.skipIf(skip !== undefined)('local Redis Cluster', () => {
  let cluster: Cluster;
  let prefix: string;

  const slotOf = async (key: string): Promise<number> => Number(await cluster.cluster('KEYSLOT', key));
  /** `host:port` of the master serving `slot`, from the client's slot table. */
  const masterOf = (slot: number): string => cluster.slots[slot]?.[0] ?? `no master for slot ${slot}`;
  /** A hash tag `u:<n>` whose slot differs from `slot` and is served by the same master or by another. */
  async function otherTag(slot: number, sameMaster: boolean): Promise<string> {
    for (let n = 2; n < 10_000; n++) {
      const other = await slotOf(`u:${n}`);
      if (other !== slot && (masterOf(other) === masterOf(slot)) === sameMaster) return `u:${n}`;
    }
    throw new Error('no such tag');
  }

  beforeAll(async () => {
    cluster = await connectCluster();
    prefix = randomPrefix();
  });
  afterAll(async () => {
    if (cluster === undefined) return;
    await deleteClusterKeys(cluster, prefix);
    await cluster.quit();
  });

  it('is healthy: cluster_state:ok on every node, three masters serving all 16384 slots', async () => {
    const masters = cluster.nodes('master');
    expect(masters).toHaveLength(3);
    for (const node of masters) {
      const info = String(await node.cluster('INFO'));
      expect(info, `${node.options.host}:${node.options.port}`).toMatch(/^cluster_state:ok\r?$/m);
      expect(info).toMatch(/^cluster_slots_assigned:16384\r?$/m);
      expect(info).toMatch(/^cluster_slots_ok:16384\r?$/m);
      expect(info).toMatch(/^cluster_size:3\r?$/m);
    }
    const ranges = await cluster.cluster('SLOTS');
    const served = ranges.reduce((sum, [start, end]) => sum + end - start + 1, 0);
    expect(served).toBe(16384);
    const owners = new Set(ranges.map(([, , master]) => `${master?.[0]}:${master?.[1]}`));
    expect([...owners].sort()).toEqual(REDIS_CLUSTER_NODES.map((node) => `${node.host}:${node.port}`).sort());
  });

  it('puts the keys of one hash tag in one slot, and runs a script over two of them', async () => {
    const credential = `${prefix}{u:1}:credential`;
    const settings = `${prefix}{u:1}:settings`;
    const slot = await slotOf('u:1');
    expect(await slotOf(credential)).toBe(slot);
    expect(await slotOf(settings)).toBe(slot);

    expect(await cluster.eval(PAIR_SET, 2, credential, settings, 'c1', 's1')).toEqual(['c1', 's1']);
    expect(await cluster.call('EVAL', PAIR_SET, 2, credential, settings, 'c2', 's2')).toEqual(['c2', 's2']);
    expect(await cluster.mget(credential, settings)).toEqual(['c2', 's2']);
  });

  it('routes EVALSHA by its first key; the script cache is per node, so NOSCRIPT and EVAL happen per master', async () => {
    // A script no node has seen yet (the prefix makes its SHA new).
    const lua = `-- ${prefix}\n${PAIR_SET}`;
    const sha = sha1(lua);
    const here = [`${prefix}{u:1}:a`, `${prefix}{u:1}:b`];
    const there = [`${prefix}{${await otherTag(await slotOf('u:1'), false)}}:a`];
    there.push(there[0]!.replace(/:a$/, ':b'));

    // The store's path: EVALSHA, and EVAL once on NOSCRIPT, on the master of the keys' slot.
    await expect(cluster.call('EVALSHA', sha, 2, ...here, '1', '2')).rejects.toThrow(/NOSCRIPT/);
    expect(await cluster.call('EVAL', lua, 2, ...here, '1', '2')).toEqual(['1', '2']);
    expect(await cluster.call('EVALSHA', sha, 2, ...here, '3', '4')).toEqual(['3', '4']);
    // Another master has not cached it.
    await expect(cluster.call('EVALSHA', sha, 2, ...there, '1', '2')).rejects.toThrow(/NOSCRIPT/);

    // `defineCommand` does the fallback by itself, on whichever master the keys live.
    cluster.defineCommand('pairSet', { numberOfKeys: 2, lua: `-- ${prefix} defined\n${PAIR_SET}` });
    const pairSet = (cluster as unknown as Record<string, (...args: string[]) => Promise<unknown>>).pairSet!;
    expect(await pairSet.call(cluster, ...here, '5', '6')).toEqual(['5', '6']);
    expect(await pairSet.call(cluster, ...there, '7', '8')).toEqual(['7', '8']);
  });

  it.each([
    ['another master', false],
    ['the same master', true],
  ])('refuses a script naming keys of two slots on %s with CROSSSLOT, before it runs', async (_, same) => {
    const tag = await otherTag(await slotOf('u:1'), same);
    const first = `${prefix}{u:1}:cross`;
    const second = `${prefix}{${tag}}:cross`;
    expect(await slotOf(second)).not.toBe(await slotOf(first));

    await expect(cluster.eval(PAIR_SET, 2, first, second, 'x', 'y')).rejects.toThrow(/^CROSSSLOT/);
    await expect(cluster.call('EVAL', PAIR_SET, 2, first, second, 'x', 'y')).rejects.toThrow(/^CROSSSLOT/);
    await expect(cluster.mget(first, second)).rejects.toThrow(/^CROSSSLOT/);
    // Refused before the script ran: neither key was written.
    expect(await cluster.exists(first)).toBe(0);
    expect(await cluster.exists(second)).toBe(0);
  });

  it('fails a script that reaches an undeclared key on another master, after its earlier writes stayed', async () => {
    const declared = `${prefix}{u:1}:declared`;
    const undeclared = `${prefix}{${await otherTag(await slotOf('u:1'), false)}}:undeclared`;
    const lua = "redis.call('SET', KEYS[1], 'written'); return redis.call('SET', ARGV[1], 'never')";

    await expect(cluster.eval(lua, 1, declared, undeclared)).rejects.toThrow(/non local key/);
    // No rollback: the write before the failing call is kept.
    expect(await cluster.get(declared)).toBe('written');
    expect(await cluster.exists(undeclared)).toBe(0);
  });

  it('deleteClusterKeys removes the keys under a prefix from all three masters, and no other key', async () => {
    const own = randomPrefix();
    const keys = [
      ...Array.from({ length: 90 }, (_, i) => `${own}k:${i}`),
      `${own}{u:1}:a`,
      `${own}{u:1}:b`,
      `${own}{u:2}:a`,
    ];
    const outside = `${prefix}outside`;
    await Promise.all([...keys, outside].map((key) => cluster.set(key, 'v')));

    const slots = await Promise.all(keys.map(slotOf));
    expect(new Set(slots.map(masterOf)).size).toBe(3);
    expect(await clusterKeysUnder(cluster, own)).toEqual([...keys].sort());
    // Why one UNLINK per key: a multi-key command over several slots is refused.
    const elsewhere = keys.find((_, i) => slots[i] !== slots[0])!;
    await expect(cluster.unlink(keys[0]!, elsewhere)).rejects.toThrow(/^CROSSSLOT/);

    expect(await deleteClusterKeys(cluster, own)).toBe(keys.length);
    expect(await clusterKeysUnder(cluster, own)).toEqual([]);
    expect(await cluster.get(outside)).toBe('v');
  });

  it('connectCluster rejects within seconds when no node answers', async () => {
    const port = await freePort();
    const started = Date.now();
    await expect(connectCluster({}, [{ host: '127.0.0.1', port }])).rejects.toThrow(
      /cannot connect to the Redis Cluster at .*ECONNREFUSED/,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
