/**
 * `sweepExpired` on Redis is a no-op: every record that can lapse carries a TTL (test/ttl.test.ts), so
 * the sweep sends nothing to the server and resolves zeros. Its arguments are still checked.
 */
import { type RedisLike, RedisStore } from '@secondfactor/store-redis';
import { describe, expect, it } from 'vitest';

describe('RedisStore.sweepExpired', () => {
  const sent: unknown[][] = [];
  const client = {
    call: (...args: unknown[]) => {
      sent.push(args);
      return Promise.reject(new Error('no server in this test'));
    },
  };
  const store = new RedisStore(client as RedisLike);

  it('sends nothing and resolves zeros: Redis removes lapsed records by their TTL', async () => {
    expect(await store.sweepExpired({ now: Date.now(), limit: 1000 })).toEqual({
      challenges: 0,
      pendingEnrollments: 0,
      trustedDevices: 0,
      failures: 0,
      more: false,
    });
    expect(sent).toEqual([]);
  });

  it('checks its arguments like every store', async () => {
    await expect(store.sweepExpired({ now: -1 })).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(store.sweepExpired({ now: 0, limit: 0 })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    expect(sent).toEqual([]);
  });
});
