/**
 * @module
 * Send limits (checklist G8): a wait between two sends to one destination, a number of sends per
 * destination and per account within a window. Each is a store attempt counter, so the count is the
 * store's one atomic step (`registerFailure`) and holds across processes: a send is allowed when the
 * count it made is within the limit, and a refused send says how long to wait.
 */
import { SecondFactorError } from '@secondfactor/core';
import { DEFAULT_MESSAGES } from '../errors';
import type { ServiceContext } from '../options';
import { destinationName } from './codes';

/**
 * Which limit refused a send, as `detail.limit` of the `rate_limited` error.
 *
 * @example
 * ```ts
 * import type { SendLimitName } from '@secondfactor/service';
 *
 * const limit = error.detail?.limit as SendLimitName; // 'cooldown': show the wait, not an alarm
 * ```
 */
export type SendLimitName = 'cooldown' | 'destination' | 'account';

const rateLimited = (limit: SendLimitName, retryAfterMs: number): SecondFactorError =>
  new SecondFactorError('rate_limited', DEFAULT_MESSAGES.rateLimited, {
    detail: { limit, retryAfterMs: Math.max(0, retryAfterMs) },
  });

interface Counter {
  name: SendLimitName;
  key: string;
  max: number;
  windowMs: number;
}

/**
 * Counts one send of `userId` to `address` at `now`, or throws `rate_limited` (`detail.retryAfterMs`,
 * `detail.limit`) without sending. The limits are counted in order, and a refusal stops the count, so
 * a send the wait refused does not use up the destination's budget. @internal
 */
export async function takeSend(
  ctx: ServiceContext,
  userId: string,
  address: string,
  now: number,
): Promise<void> {
  const destination = destinationName(ctx, address);
  const { perDestination, perAccount, cooldownMs } = ctx.sendLimits;
  const counters: Counter[] = [
    ...(cooldownMs === 0
      ? []
      : [{ name: 'cooldown' as const, key: `send-wait#${destination}`, max: 1, windowMs: cooldownMs }]),
    {
      name: 'destination',
      key: `send-to#${destination}`,
      max: perDestination.max,
      windowMs: perDestination.windowSeconds * 1000,
    },
    {
      name: 'account',
      key: `send-by#${destinationName(ctx, `user\u0000${userId}`)}`,
      max: perAccount.max,
      windowMs: perAccount.windowSeconds * 1000,
    },
  ];
  for (const counter of counters) {
    // The send that reaches `max` locks the counter for one window: later sends wait until it ends.
    const state = await ctx.store.registerFailure(counter.key, {
      now,
      limits: { maxFailures: counter.max, windowMs: counter.windowMs, lockoutMs: counter.windowMs },
    });
    if (state.count > counter.max) throw rateLimited(counter.name, (state.lockedUntil ?? now) - now);
  }
}
