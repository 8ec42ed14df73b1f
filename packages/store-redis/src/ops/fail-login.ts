/**
 * @module
 * A wrong second-factor answer (see `SecondFactorStore.failLogin`). On a single node one script over the
 * counters, the user's challenge and the audit log: one round trip. On a cluster the counters and the
 * log live in other slots: the audit id is looked up first, each counter is counted in its own slot (as
 * `registerFailure`), the challenge's attempt in the user's slot, and the audit record is appended
 * after them, before the call resolves (README: Redis Cluster).
 */
import { SecondFactorError } from '@secondfactor/core';
import type { FailLoginResult, FailureState } from '@secondfactor/store';
import { type CheckedFailLoginOptions, failLoginAuditData } from '@secondfactor/store/adapter';
import { auditJson } from '../codec';
import { keyPart } from '../key-part';
import { appendAudit, auditArgs } from './audit';
import { conflict, type OpContext, withRoot } from './context';
import { registerFailure } from './failures';

type Reply = ['ok', string, ...string[]] | ['conflict'];

/** Counts a wrong answer on `options.keys` and on the challenge `challengeId` of `userId`, audited. */
export async function failLogin(
  ctx: OpContext,
  userId: string,
  challengeId: string | null,
  options: CheckedFailLoginOptions,
): Promise<FailLoginResult> {
  const { now, keys, limits, audit } = options;
  const base = ctx.key.user(keyPart(userId));
  const limitArgs = [
    String(now),
    String(limits.maxFailures),
    String(limits.windowMs),
    String(ctx.retainMs),
    String(limits.lockoutMs),
    String(limits.backoffFactor),
    String(limits.maxLockoutMs),
  ];
  const id = challengeId === null ? '' : keyPart(challengeId);

  if (!ctx.cluster) {
    const [auditId, , at, user, tenant] = auditArgs(audit);
    // The stored JSON ends with the data object: the script appends `failures` and `locked` to it.
    const head = auditJson(audit).slice(0, -2);
    const record = [
      auditId ?? '',
      head.endsWith('{') ? head : `${head},`,
      at ?? '',
      user ?? '',
      tenant ?? '',
    ];
    const args = [id, ...limitArgs, ...record, ...keys.map(keyPart)];
    const reply = (await ctx.run('failLogin', withRoot(ctx, base), args)) as Reply;
    if (reply[0] === 'conflict') throw conflict('options.audit.id');
    if (reply[0] !== 'ok')
      throw new SecondFactorError('internal', 'failLogin got an unknown reply from Redis');
    const states: FailureState[] = keys.map((_, index) => {
      const lockedUntil = reply[3 + 2 * index] ?? '';
      return {
        count: Number(reply[2 + 2 * index]),
        lockedUntil: lockedUntil === '' ? null : Number(lockedUntil),
      };
    });
    return { states, attempts: reply[1] === '' ? null : Number(reply[1]) };
  }

  // Cluster. H8: an audit id seen before is looked up before any count, which then counts nothing.
  if ((await ctx.run('auditExists', [ctx.key.audit], [keyPart(audit.id)])) === 1) {
    throw conflict('options.audit.id');
  }
  // Each count is atomic in its own slot, so concurrent calls still count each failure exactly once.
  const [states, reply] = await Promise.all([
    Promise.all(keys.map((key) => registerFailure(ctx, key, { now, limits }))),
    ctx.run('failLogin', [base], [id, ...limitArgs, '', '', '', '', '']) as Promise<Reply>,
  ]);
  const attempts = reply[0] === 'ok' && reply[1] !== '' ? Number(reply[1]) : null;
  // The log lives in another slot: appended after the counts, before the call resolves.
  await appendAudit(ctx, { ...audit, data: failLoginAuditData(audit.data, states, now) });
  return { states, attempts };
}
