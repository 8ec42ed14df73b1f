/**
 * @module
 * The two halves of a TOTP/HOTP verification (see `SecondFactorStore.recordOtpUse` and
 * `getCredentialForVerification`). On a single node each is one script over the credential and the
 * named attempt counters. On a cluster the counters live in slots of their own, so a use that names
 * counters runs in steps, guarded by the credential's use key (`scripts/verification.ts`), and a read
 * reads the credential before and after the counters and starts again when a use ran in between.
 */
import type { CredentialForVerification, CredentialForVerificationOptions } from '@secondfactor/store';
import type { CheckedRecordOtpUseOptions } from '@secondfactor/store/adapter';
import { decodeCredential, type Field, optional } from '../codec';
import { keyPart } from '../key-part';
import { LEASE_MS, type OpContext, token, withRoot } from './context';
import { failureState } from './failures';

/**
 * Records `step` if and only if it is beyond the last recorded step, the sealed secret is `ifSecret`
 * (when given) and no `unlessLocked` key is locked at `now`; only then clears `clearFailures`.
 */
export async function recordOtpUse(
  ctx: OpContext,
  userId: string,
  credentialId: string,
  options: CheckedRecordOtpUseOptions,
): Promise<boolean> {
  const { step, now, driftSteps, ifSecret, unlessLocked, clearFailures } = options;
  const base = ctx.key.user(keyPart(userId));
  const id = keyPart(credentialId);
  const locks = unlessLocked.map(keyPart);
  const clears = clearFailures.map(keyPart);
  if (!ctx.cluster || locks.length + clears.length === 0) {
    // One script: on a single node with the counters, on a cluster when there are none.
    const args = [id, String(step), String(now), optional(driftSteps), optional(ifSecret)];
    args.push(String(locks.length), ...locks, ...clears);
    return (await ctx.run('recordOtpUse', withRoot(ctx, base), args)) === 1;
  }
  const mark = token();
  const begin = [id, String(step), optional(ifSecret), mark, String(LEASE_MS)];
  if ((await ctx.run('beginOtpUse', [base], begin)) !== 1) return false;
  const end = (commit: boolean): Promise<unknown> =>
    ctx.run(
      'endOtpUse',
      [base],
      [id, mark, commit ? '1' : '0', String(step), String(now), optional(driftSteps), optional(ifSecret)],
    );
  let passed: boolean;
  try {
    passed = await gate(ctx, locks, clears, now);
  } catch (error) {
    // A lost connection: give the use key back if we can, rather than leave it to its lease.
    await end(false).catch(() => undefined);
    throw error;
  }
  if (!passed) {
    await end(false).catch(() => undefined);
    return false;
  }
  return (await end(true)) === 1;
}

/**
 * Cluster: the counters' part of a use (or of a login, `login.ts`), between its BEGIN and its END. Each
 * counter is checked and cleared in one step on its own slot. With several counters and some to check,
 * every lock is read first, so a lock that was there before the use refuses it before anything is cleared.
 */
export async function gate(ctx: OpContext, locks: string[], clears: string[], now: number): Promise<boolean> {
  const checked = new Set(locks);
  const cleared = new Set(clears);
  const keys = [...new Set([...locks, ...clears])];
  if (checked.size > 0 && keys.length > 1 && (await anyLocked(ctx, [...checked], now))) return false;
  const flag = (on: boolean): string => (on ? '1' : '0');
  const results = await Promise.all(
    keys.map((key) =>
      ctx.run(
        'gateFailures',
        [ctx.key.counter(key)],
        [String(now), flag(checked.has(key)), flag(cleared.has(key))],
      ),
    ),
  );
  return results.every((result) => result === 1);
}

/** Cluster: whether any of these counters (escaped keys) is locked at `now`, each read on its slot. */
export async function anyLocked(ctx: OpContext, keys: readonly string[], now: number): Promise<boolean> {
  const states = await Promise.all(
    keys.map(async (key) =>
      failureState((await ctx.run('getFailures', [ctx.key.counter(key)], [])) as Field[], now),
    ),
  );
  return states.some((state) => state.lockedUntil !== null);
}

// A read on a cluster starts again while a use is in flight; a use key whose process died holds for
// LEASE_MS, and after this many rounds the read answers with what it saw.
const READ_ROUNDS = 50;

/** The credential of `userId` and the state of each failure key at `now` (README: Redis Cluster). */
export async function getCredentialForVerification(
  ctx: OpContext,
  userId: string,
  credentialId: string,
  { now, failureKeys }: CredentialForVerificationOptions,
): Promise<CredentialForVerification> {
  const base = ctx.key.user(keyPart(userId));
  const id = keyPart(credentialId);
  const keys = failureKeys.map(keyPart);
  const answer = (fields: Field[] | null, counters: Field[][]): CredentialForVerification => ({
    credential: fields == null ? null : decodeCredential(fields),
    // One answer per key asked, in order: a repeated key is answered again.
    failures: keys.map((_, index) => failureState(counters[index] ?? [], now)),
  });
  type Read = [Field[] | null, Field, ...Field[][]];
  const read = async (args: string[]): Promise<Read> =>
    (await ctx.run('getCredentialForVerification', withRoot(ctx, base), [id, ...args])) as Read;
  if (!ctx.cluster) {
    const [fields, , ...counters] = await read(keys);
    return answer(fields, counters);
  }
  const distinct = [...new Set(keys)];
  for (let round = 1; ; round++) {
    const before = await read([]);
    if (distinct.length === 0) return answer(before[0], []);
    if (before[1] !== null && round < READ_ROUNDS) continue;
    const values = await Promise.all(
      distinct.map((key) => ctx.run('getFailures', [ctx.key.counter(key)], []) as Promise<Field[]>),
    );
    const after = await read([]);
    // The same credential state and no use in flight on both sides: no use changed the counters between.
    if ((JSON.stringify(before) === JSON.stringify(after) && after[1] === null) || round >= READ_ROUNDS) {
      const byKey = new Map(distinct.map((key, index) => [key, values[index] ?? []]));
      return answer(
        after[0],
        keys.map((key) => byKey.get(key) ?? []),
      );
    }
  }
}
