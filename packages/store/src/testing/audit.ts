/**
 * @module
 * Conformance: the audit log (checklist H8, K6): append-only, newest first, filtered by user, tenant
 * and time, with JSON detail kept as given.
 */
import { expect, it } from 'vitest';
import { auditEvent, expectRejection, freshId, type SuiteContext } from './fixtures';

/** Registers the audit-log tests. */
export function auditTests(ctx: SuiteContext): void {
  it('H8: lists appended events newest first, with every field and the JSON detail as given', async () => {
    const [userId, tenantId] = [freshId('user'), freshId('tenant')];
    const first = auditEvent(ctx.t0 + 1, {
      userId,
      tenantId,
      actorId: freshId('admin'),
      type: 'policy.changed',
      data: {
        ip: '203.0.113.9',
        before: { required: false },
        after: { required: true },
        methods: ['totp', 'email'],
        n: 3,
        ok: true,
        none: null,
      },
    });
    const second = auditEvent(ctx.t0 + 2, { userId, type: 'backup_codes.regenerated' });
    const third = auditEvent(ctx.t0 + 3, { userId, type: 'credential.removed' });
    for (const event of [second, first, third]) await ctx.store.appendAudit(event);
    expect(await ctx.store.listAudit({ userId })).toEqual([third, second, first]);
  });

  it('events of the same millisecond come newest-appended first', async () => {
    const userId = freshId('user');
    const events = Array.from({ length: 5 }, () => auditEvent(ctx.t0 + 10, { userId }));
    for (const event of events) await ctx.store.appendAudit(event);
    expect((await ctx.store.listAudit({ userId })).map((event) => event.id)).toEqual(
      events.map((event) => event.id).reverse(),
    );
  });

  it('filters by user, by tenant, by time (since, inclusive) and limits the count', async () => {
    const [userA, userB, tenant] = [freshId('user'), freshId('user'), freshId('tenant')];
    const events = [
      auditEvent(ctx.t0 + 1, { userId: userA, tenantId: tenant }),
      auditEvent(ctx.t0 + 2, { userId: userB, tenantId: tenant }),
      auditEvent(ctx.t0 + 3, { userId: userA }),
      auditEvent(ctx.t0 + 4, { userId: userA, tenantId: tenant }),
      auditEvent(ctx.t0 + 5, { actorId: userA, tenantId: tenant, type: 'tenant.policy_changed' }),
    ];
    for (const event of events) await ctx.store.appendAudit(event);
    const ids = (list: { id: string }[]) => list.map((event) => event.id);
    const [e0, e1, e2, e3, e4] = events.map((event) => event.id);
    expect(ids(await ctx.store.listAudit({ userId: userA }))).toEqual([e3, e2, e0]);
    expect(ids(await ctx.store.listAudit({ tenantId: tenant }))).toEqual([e4, e3, e1, e0]);
    expect(ids(await ctx.store.listAudit({ userId: userA, tenantId: tenant }))).toEqual([e3, e0]);
    expect(ids(await ctx.store.listAudit({ tenantId: tenant, since: ctx.t0 + 2 }))).toEqual([e4, e3, e1]);
    expect(ids(await ctx.store.listAudit({ tenantId: tenant, limit: 2 }))).toEqual([e4, e3]);
    expect(await ctx.store.listAudit({ userId: freshId('user') })).toEqual([]);
  });

  it('H8: the log is append-only: an event id seen before is refused as conflict and the original kept', async () => {
    const userId = freshId('user');
    const event = auditEvent(ctx.t0, { userId, data: { before: 1 } });
    await ctx.store.appendAudit(event);
    await expectRejection(() => ctx.store.appendAudit({ ...event, data: { before: 2 } }), 'conflict');
    expect(await ctx.store.listAudit({ userId })).toEqual([event]);
  });

  it('copies events in and out', async () => {
    const userId = freshId('user');
    const event = auditEvent(ctx.t0, { userId, data: { ip: '198.51.100.1' } });
    const original = structuredClone(event);
    await ctx.store.appendAudit(event);
    (event.data as Record<string, unknown>).ip = 'changed';
    const [read] = await ctx.store.listAudit({ userId });
    expect(read).toEqual(original);
    if (read !== undefined) read.type = 'changed';
    expect(await ctx.store.listAudit({ userId })).toEqual([original]);
  });

  it('resetUser keeps the user’s audit trail', async () => {
    const userId = freshId('user');
    const event = auditEvent(ctx.t0, { userId, type: 'user.reset' });
    await ctx.store.appendAudit(event);
    await ctx.store.resetUser(userId);
    expect(await ctx.store.listAudit({ userId })).toEqual([event]);
  });
}
