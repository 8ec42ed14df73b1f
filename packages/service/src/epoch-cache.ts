/**
 * @module
 * A short per-process memory of users' session epochs, for hosts that ask `isSessionCurrent` on every
 * request (the adapters' guards do). Off by default: every answer is then the store's. With a lifetime
 * `t`, an epoch read from the store is reused for `t`; a change made through this process writes its new
 * epoch here at once, so this process never lets a session it revoked through; another process's
 * revocation is seen here at most `t` after it. Bounded: the oldest entries go first.
 */

interface Entry {
  epoch: number;
  readAt: number;
}

/** Users' epochs as last read or written, with when. @internal */
export class EpochCache {
  readonly #ttlMs: number;
  readonly #limit: number;
  readonly #entries = new Map<string, Entry>();

  constructor(ttlMs: number, limit = 100_000) {
    this.#ttlMs = ttlMs;
    this.#limit = limit;
  }

  /** Whether the cache is on at all. */
  get enabled(): boolean {
    return this.#ttlMs > 0;
  }

  /** The epoch of `userId` read at most the lifetime before `now`, or `undefined`. */
  get(userId: string, now: number): number | undefined {
    const entry = this.#entries.get(userId);
    if (entry === undefined) return undefined;
    // A clock set back counts as expired too: never trust an entry from the future.
    if (now - entry.readAt >= this.#ttlMs || now < entry.readAt) {
      this.#entries.delete(userId);
      return undefined;
    }
    return entry.epoch;
  }

  /** Records `epoch` for `userId` as of `now`; an older epoch never replaces a newer one. */
  set(userId: string, epoch: number, now: number): void {
    if (!this.enabled) return;
    const held = this.#entries.get(userId);
    this.#entries.delete(userId);
    this.#entries.set(userId, { epoch: Math.max(epoch, held?.epoch ?? 0), readAt: now });
    if (this.#entries.size > this.#limit) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }
}
