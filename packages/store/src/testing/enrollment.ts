/**
 * @module
 * Conformance: pending enrollments (server-side, bound to their user, expiring) and their confirmation
 * into a credential in one step (checklist H1, H2, H3, H4).
 */
import { expect, it } from 'vitest';
import {
  emailCredential,
  expectRejection,
  freshId,
  pendingTotp,
  type SuiteContext,
  totpCredential,
} from './fixtures';

/** Registers the enrollment tests. */
export function enrollmentTests(ctx: SuiteContext): void {
  it('H2: stores a pending enrollment server-side and reads it back for its user only', async () => {
    const [owner, intruder] = [freshId('user'), freshId('user')];
    const pending = pendingTotp(owner, ctx.t0, { tenantId: freshId('tenant') });
    await ctx.store.createPendingEnrollment(pending);
    expect(await ctx.store.getPendingEnrollment(owner, pending.id, { now: ctx.t0 })).toEqual(pending);
    expect(await ctx.store.getPendingEnrollment(intruder, pending.id, { now: ctx.t0 })).toBeNull();
    expect(await ctx.store.getPendingEnrollment(owner, freshId('pend'), { now: ctx.t0 })).toBeNull();
  });

  it('H2: a pending enrollment reads as absent from its expiry on (injected clock)', async () => {
    const userId = freshId('user');
    const pending = pendingTotp(userId, ctx.t0);
    await ctx.store.createPendingEnrollment(pending);
    expect(await ctx.store.getPendingEnrollment(userId, pending.id, { now: pending.expiresAt - 1 })).toEqual(
      pending,
    );
    expect(await ctx.store.getPendingEnrollment(userId, pending.id, { now: pending.expiresAt })).toBeNull();
    expect(await ctx.store.confirmEnrollment(userId, pending.id, { now: pending.expiresAt })).toEqual({
      status: 'expired',
    });
    expect(await ctx.store.listCredentials(userId)).toEqual([]);
  });

  it('rejects a second pending enrollment with an existing id as conflict and keeps the first', async () => {
    const pending = pendingTotp(freshId('user'), ctx.t0);
    await ctx.store.createPendingEnrollment(pending);
    const other = pendingTotp(freshId('user'), ctx.t0, { id: pending.id });
    await expectRejection(() => ctx.store.createPendingEnrollment(other), 'conflict');
    expect(await ctx.store.getPendingEnrollment(pending.userId, pending.id, { now: ctx.t0 })).toEqual(
      pending,
    );
    expect(await ctx.store.getPendingEnrollment(other.userId, pending.id, { now: ctx.t0 })).toBeNull();
  });

  it('H1: confirmation turns the pending enrollment into a credential with the same id and fields, once', async () => {
    const userId = freshId('user');
    const pending = pendingTotp(userId, ctx.t0, { tenantId: freshId('tenant') });
    await ctx.store.createPendingEnrollment(pending);
    expect(await ctx.store.listCredentials(userId)).toEqual([]);
    const now = ctx.t0 + 1000;
    const result = await ctx.store.confirmEnrollment(userId, pending.id, { now, lastUsedStep: 77 });
    expect(result.status).toBe('ok');
    const credential = result.status === 'ok' ? result.credential : undefined;
    expect(credential).toMatchObject({
      id: pending.id,
      userId,
      tenantId: pending.tenantId,
      kind: 'totp',
      label: pending.label,
      otp: pending.otp,
      createdAt: now,
      lastUsedStep: 77,
    });
    expect(credential).not.toHaveProperty('expiresAt');
    expect(await ctx.store.getCredential(userId, pending.id)).toEqual(credential);
    expect(await ctx.store.getPendingEnrollment(userId, pending.id, { now })).toBeNull();
    expect(await ctx.store.confirmEnrollment(userId, pending.id, { now })).toEqual({ status: 'not_found' });
  });

  it('D1: the step that confirmed an enrollment cannot be used again', async () => {
    const userId = freshId('user');
    const pending = pendingTotp(userId, ctx.t0);
    await ctx.store.createPendingEnrollment(pending);
    await ctx.store.confirmEnrollment(userId, pending.id, { now: ctx.t0, lastUsedStep: 1234 });
    expect(await ctx.store.recordOtpUse(pending.userId, pending.id, { step: 1234, now: ctx.t0 })).toBe(false);
    expect(await ctx.store.recordOtpUse(pending.userId, pending.id, { step: 1235, now: ctx.t0 })).toBe(true);
  });

  it('confirms an out-of-band enrollment (address, no secret)', async () => {
    const userId = freshId('user');
    const pending = pendingTotp(userId, ctx.t0, {
      kind: 'sms',
      otp: undefined,
      address: '+15555550123',
      label: 'Mobile',
    });
    delete pending.otp;
    await ctx.store.createPendingEnrollment(pending);
    const result = await ctx.store.confirmEnrollment(userId, pending.id, { now: ctx.t0 });
    expect(result.status === 'ok' && result.credential).toMatchObject({
      kind: 'sms',
      address: '+15555550123',
    });
  });

  it('H3: a user cannot confirm, read or delete another user’s pending enrollment', async () => {
    const [owner, intruder] = [freshId('user'), freshId('user')];
    const pending = pendingTotp(owner, ctx.t0);
    await ctx.store.createPendingEnrollment(pending);
    expect(await ctx.store.confirmEnrollment(intruder, pending.id, { now: ctx.t0 })).toEqual({
      status: 'not_found',
    });
    expect(await ctx.store.deletePendingEnrollment(intruder, pending.id)).toBe(false);
    expect(await ctx.store.listCredentials(intruder)).toEqual([]);
    expect(await ctx.store.getPendingEnrollment(owner, pending.id, { now: ctx.t0 })).toEqual(pending);
  });

  it('H4: confirmation removes the replaced credentials of the same user in the same step, and no others', async () => {
    const [userId, other] = [freshId('user'), freshId('user')];
    const oldTotp = totpCredential(userId, ctx.t0);
    const kept = emailCredential(userId, ctx.t0);
    const foreign = totpCredential(other, ctx.t0);
    for (const credential of [oldTotp, kept, foreign]) await ctx.store.addCredential(credential);
    const pending = pendingTotp(userId, ctx.t0);
    await ctx.store.createPendingEnrollment(pending);
    const result = await ctx.store.confirmEnrollment(userId, pending.id, {
      now: ctx.t0 + 1,
      replaces: [oldTotp.id, foreign.id, freshId('cred')],
    });
    expect(result.status).toBe('ok');
    const ids = (await ctx.store.listCredentials(userId)).map((item) => item.id).sort();
    expect(ids).toEqual([kept.id, pending.id].sort());
    expect(await ctx.store.getCredential(other, foreign.id)).toEqual(foreign);
  });

  it('H4: until confirmation, the existing credential stays active', async () => {
    const userId = freshId('user');
    const active = totpCredential(userId, ctx.t0);
    await ctx.store.addCredential(active);
    const pending = pendingTotp(userId, ctx.t0);
    await ctx.store.createPendingEnrollment(pending);
    expect((await ctx.store.listCredentials(userId)).map((item) => item.id)).toEqual([active.id]);
    expect(await ctx.store.recordOtpUse(active.userId, active.id, { step: 5, now: ctx.t0 })).toBe(true);
  });

  it('deletes a pending enrollment once', async () => {
    const pending = pendingTotp(freshId('user'), ctx.t0);
    await ctx.store.createPendingEnrollment(pending);
    expect(await ctx.store.deletePendingEnrollment(pending.userId, pending.id)).toBe(true);
    expect(await ctx.store.deletePendingEnrollment(pending.userId, pending.id)).toBe(false);
    expect(await ctx.store.getPendingEnrollment(pending.userId, pending.id, { now: ctx.t0 })).toBeNull();
    expect(await ctx.store.confirmEnrollment(pending.userId, pending.id, { now: ctx.t0 })).toEqual({
      status: 'not_found',
    });
  });
}
