/**
 * @module
 * The shape each compared implementation is adapted to, so the timing loops and the agreement checks
 * treat secondfactor, the peer libraries and the `node:crypto` baseline exactly alike.
 */

/** `ours` is secondfactor, `peer` a published library, `baseline` the bare `node:crypto` loop. */
export type Kind = 'ours' | 'peer' | 'baseline';

/** One implementation, adapted: SHA-1, 6 digits, 30 s period, the fixture secret, window ±1 step. */
export interface Implementation {
  /** Row label, including the call used (e.g. `otplib 13 verifySync`). */
  readonly name: string;
  readonly kind: Kind;
  /** The row the speed target applies to (plain `verifyTotp`). */
  readonly primary?: boolean | undefined;
  /**
   * `injected`: the implementation takes the instant as a parameter and is called with `TIMES_MS[i]`.
   * `system`: it reads `Date.now()` itself and ignores `i` (its semantics; noted in the output).
   */
  readonly clock: 'injected' | 'system';
  /** The code at fixture instant `i` (or now, for a `system` clock). */
  readonly generate: (i: number) => string;
  /** Whether `code` is accepted at fixture instant `i` with one step of tolerance each way. */
  readonly verify: (code: string, i: number) => boolean;
  /** The raw HOTP value at a counter, where the library exposes it (checks a `system`-clock engine). */
  readonly hotp?: ((counter: number) => string) | undefined;
  /** Runs one verify of `code` at instant `i` with an HMAC-counting hook and returns the HMAC count. */
  readonly hmacsPerVerify?: ((code: string, i: number) => number) | undefined;
  /** Differences in semantics worth printing under the table. */
  readonly notes?: readonly string[] | undefined;
}
