/**
 * `CheckedStore.sweepExpired`: the adapter's operation receives a time in range and a limit from 1 to
 * `MAX_PAGE_SIZE` (`DEFAULT_PAGE_SIZE` when omitted), and is never reached with anything else.
 */
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type SweepExpiredResult } from '@secondfactor/store';
import { CheckedStore, type StoreOperations } from '@secondfactor/store/adapter';
import { describe, expect, it } from 'vitest';

const answer: SweepExpiredResult = {
  challenges: 0,
  pendingEnrollments: 0,
  trustedDevices: 0,
  failures: 0,
  more: false,
};

function recording(): { store: CheckedStore; calls: unknown[][] } {
  const calls: unknown[][] = [];
  const operations = new Proxy({} as StoreOperations, {
    get: (_target, name) =>
      name === 'sweepExpired'
        ? (...args: unknown[]) => {
            calls.push(args);
            return Promise.resolve(answer);
          }
        : () => Promise.resolve(null),
  });
  return { store: new CheckedStore({ multiProcess: false, durable: false }, operations), calls };
}

describe('CheckedStore.sweepExpired', () => {
  it('hands the operation now and the limit, the default filled in', async () => {
    const { store, calls } = recording();
    expect(await store.sweepExpired(5)).toEqual(answer);
    await store.sweepExpired(6, {});
    await store.sweepExpired(7, { limit: 1 });
    await store.sweepExpired(8, { limit: MAX_PAGE_SIZE, extra: true } as { limit: number });
    expect(calls).toEqual([
      [5, DEFAULT_PAGE_SIZE],
      [6, DEFAULT_PAGE_SIZE],
      [7, 1],
      [8, MAX_PAGE_SIZE],
    ]);
  });

  it('rejects bad input naming the parameter, and never reaches the operation', async () => {
    const { store, calls } = recording();
    const attempts: [string, () => Promise<unknown>][] = [
      ['now', () => store.sweepExpired(-1)],
      ['now', () => store.sweepExpired('5' as unknown as number)],
      ['options', () => store.sweepExpired(5, null as unknown as { limit: number })],
      ['options.limit', () => store.sweepExpired(5, { limit: 0 })],
      ['options.limit', () => store.sweepExpired(5, { limit: MAX_PAGE_SIZE + 1 })],
      ['options.limit', () => store.sweepExpired(5, { limit: 2.5 })],
    ];
    for (const [name, attempt] of attempts) {
      await expect(attempt(), name).rejects.toMatchObject({
        code: 'invalid_argument',
        message: expect.stringContaining(name),
      });
    }
    expect(calls).toEqual([]);
  });
});
