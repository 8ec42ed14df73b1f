/**
 * `CheckedStore.sweepExpired`: the adapter's operation receives `{ now, limit }`: a time in range and a limit from 1 to
 * `MAX_PAGE_SIZE` (`DEFAULT_PAGE_SIZE` when omitted), and is never reached with anything else.
 */
import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  type SweepExpiredOptions,
  type SweepExpiredResult,
} from '@secondfactor/store';
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
    expect(await store.sweepExpired({ now: 5 })).toEqual(answer);
    await store.sweepExpired({ now: 6 });
    await store.sweepExpired({ now: 7, limit: 1 });
    await store.sweepExpired({ now: 8, limit: MAX_PAGE_SIZE, extra: true } as SweepExpiredOptions);
    expect(calls).toEqual([
      [{ now: 5, limit: DEFAULT_PAGE_SIZE }],
      [{ now: 6, limit: DEFAULT_PAGE_SIZE }],
      [{ now: 7, limit: 1 }],
      [{ now: 8, limit: MAX_PAGE_SIZE }],
    ]);
  });

  it('rejects bad input naming the parameter, and never reaches the operation', async () => {
    const { store, calls } = recording();
    const attempts: [string, () => Promise<unknown>][] = [
      ['options.now', () => store.sweepExpired({ now: -1 })],
      ['options.now', () => store.sweepExpired({ now: '5' as unknown as number })],
      ['options.now', () => store.sweepExpired({} as SweepExpiredOptions)],
      ['options', () => store.sweepExpired(null as unknown as SweepExpiredOptions)],
      ['options', () => store.sweepExpired(5 as unknown as SweepExpiredOptions)],
      ['options.limit', () => store.sweepExpired({ now: 5, limit: 0 })],
      ['options.limit', () => store.sweepExpired({ now: 5, limit: MAX_PAGE_SIZE + 1 })],
      ['options.limit', () => store.sweepExpired({ now: 5, limit: 2.5 })],
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
