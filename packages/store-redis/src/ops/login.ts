/**
 * @module
 * The success step of a login (see `SecondFactorStore.completeLogin`). On a single node one script over
 * the user's keys, the named attempt counters and the audit log: one round trip. On a cluster the
 * counters and the log live in other slots: the audit id is looked up first, the login runs in steps
 * guarded by the user's login lease (`scripts/login.ts`, like a cluster's `recordOtpUse`), and the
 * audit record is appended right after the step, before the call resolves (README: Redis Cluster).
 */
import { SecondFactorError } from '@secondfactor/core';
import type { CompleteLoginResult } from '@secondfactor/store';
import type { CheckedCompleteLoginOptions } from '@secondfactor/store/adapter';
import { optional } from '../codec';
import { keyPart } from '../key-part';
import { appendAudit, auditArgs } from './audit';
import { conflict, LEASE_MS, type OpContext, token, withRoot } from './context';
import { anyLocked, gate } from './verification';

type Reply = ['ok', number, number?] | ['refused'] | ['conflict'];

/** Completes the login `challengeId` of `userId` if every condition holds; else changes nothing. */
export async function completeLogin(
  ctx: OpContext,
  userId: string,
  challengeId: string,
  options: CheckedCompleteLoginOptions,
): Promise<CompleteLoginResult> {
  const { now, otp, backupCodeDigest, unlessLocked, clearFailures, audit } = options;
  const base = ctx.key.user(keyPart(userId));
  const id = keyPart(challengeId);
  const cred = otp === undefined ? '' : keyPart(otp.credentialId);
  const step = otp === undefined ? '' : String(otp.step);
  const [driftSteps, ifSecret] = [optional(otp?.driftSteps), optional(otp?.ifSecret)];
  const digest = backupCodeDigest ?? '';
  const locks = unlessLocked.map(keyPart);
  const clears = clearFailures.map(keyPart);
  const answer = (reply: unknown): CompleteLoginResult => result(reply as Reply, digest !== '');
  const factor = [cred, step, driftSteps, ifSecret, digest];

  if (!ctx.cluster) {
    const record = audit === undefined ? ['', '', '', '', ''] : auditArgs(audit);
    const args = [id, String(now), ...factor, ...record, String(locks.length), ...locks, ...clears];
    return answer(await ctx.run('completeLogin', withRoot(ctx, base), args));
  }

  // Cluster. H8: an audit id seen before is looked up before the step, which then writes nothing.
  const seen =
    audit !== undefined && (await ctx.run('auditExists', [ctx.key.audit], [keyPart(audit.id)])) === 1;
  let done: CompleteLoginResult;
  if (!seen && locks.length + clears.length === 0) {
    // No counters: one script in the user's slot.
    const args = [id, String(now), ...factor, '', '', '', '', '', '0'];
    done = answer(await ctx.run('completeLogin', [base], args));
  } else {
    const mark = token();
    const begin = [id, String(now), cred, step, ifSecret, digest, mark, String(LEASE_MS)];
    if ((await ctx.run('beginLogin', [base], begin)) !== 1) return { status: 'refused' };
    const end = (commit: boolean): Promise<unknown> =>
      ctx.run('endLogin', [base], [id, mark, commit ? '1' : '0', String(now), ...factor]);
    const giveUp = () => end(false).catch(() => undefined);
    let passed: boolean;
    try {
      // With a known audit id only the locks are read: refused as a single node refuses, else conflict.
      passed = seen ? !(await anyLocked(ctx, locks, now)) : await gate(ctx, locks, clears, now);
    } catch (error) {
      // A lost connection: give the lease back if we can, rather than leave it to its lease time.
      await giveUp();
      throw error;
    }
    if (seen || !passed) {
      await giveUp();
      if (passed) throw conflict('options.audit.id');
      return { status: 'refused' };
    }
    done = answer(await end(true));
  }
  // The log lives in another slot: appended after the step, before the call resolves.
  if (done.status === 'ok' && audit !== undefined) await appendAudit(ctx, audit);
  return done;
}

function result(reply: Reply, withBackupCode: boolean): CompleteLoginResult {
  if (reply[0] === 'conflict') throw conflict('options.audit.id');
  if (reply[0] === 'refused') return { status: 'refused' };
  if (reply[0] !== 'ok')
    throw new SecondFactorError('internal', 'completeLogin got an unknown reply from Redis');
  const done: CompleteLoginResult = { status: 'ok', sessionEpoch: reply[1] };
  if (withBackupCode) done.backupCodesRemaining = reply[2] ?? 0;
  return done;
}
