/**
 * @module
 * The append-only audit log (checklist H8, K6): appended once per event id, listed newest first. The log
 * of all events (`P{audit}:`) decides the id and the order; the user's and the tenant's indexes follow,
 * in the same script on a single node and as separate, idempotent steps on a cluster.
 */
import type { AuditEvent } from '@secondfactor/store';
import type { CheckedAuditFilter } from '@secondfactor/store/adapter';
import { auditJson, type Field, parse } from '../codec';
import { keyPart } from '../key-part';
import { conflict, type OpContext, withRoot } from './context';

const part = (id: string | undefined): string => (id === undefined ? '' : keyPart(id));

/** The arguments that describe `event` to `appendAudit` and `completeLogin`: id, json, at, user, tenant. */
export const auditArgs = (event: AuditEvent): string[] => [
  keyPart(event.id),
  auditJson(event),
  String(event.at),
  part(event.userId),
  part(event.tenantId),
];

/** Appends an event; `conflict` if its id was seen before (the original is kept). */
export async function appendAudit(ctx: OpContext, event: AuditEvent): Promise<void> {
  const args = auditArgs(event);
  const json = args[1] ?? '';
  const [appended, member, stored] = (await ctx.run('appendAudit', withRoot(ctx, ctx.key.audit), args)) as [
    number,
    string,
    Field | undefined,
  ];
  if (ctx.cluster) {
    // Also for an id seen before: the stored event's indexes are completed, so a retry of an append
    // whose second step failed repairs it.
    const original = appended === 1 ? event : parse<AuditEvent>(stored ?? null);
    await indexEvent(ctx, original, member, appended === 1 ? json : (stored ?? ''));
  }
  if (appended !== 1) throw conflict('event.id');
}

/** Cluster: the user's and the tenant's index entries of an event, each in its own slot. */
async function indexEvent(ctx: OpContext, event: AuditEvent, member: string, json: string): Promise<void> {
  const bases = [event.userId, event.tenantId].flatMap((id, index) => {
    if (id === undefined) return [];
    return [index === 0 ? ctx.key.user(keyPart(id)) : ctx.key.tenant(keyPart(id))];
  });
  const args = [String(event.at), member, keyPart(event.id), json];
  await Promise.all(
    bases.map((base) => ctx.run('auditIndex', [`${base}audit`, `${base}audit:events`], args)),
  );
}

/** Events newest first; equal times newest-appended first. */
export async function listAudit(
  ctx: OpContext,
  { userId, tenantId, since, limit }: CheckedAuditFilter,
): Promise<AuditEvent[]> {
  // The narrowest index that answers the filter; a user's index also answers a tenant filter.
  let keys = [`${ctx.key.audit}all`, `${ctx.key.audit}events`];
  if (userId !== undefined) {
    const base = ctx.key.user(keyPart(userId));
    keys = [`${base}audit`, `${base}audit:events`];
  } else if (tenantId !== undefined) {
    const base = ctx.key.tenant(keyPart(tenantId));
    keys = [`${base}audit`, `${base}audit:events`];
  }
  const filter = userId !== undefined ? part(tenantId) : '';
  const args = [filter, since === undefined ? '' : String(since), String(limit)];
  const rows = (await ctx.run('listAudit', keys, args)) as Field[];
  return rows.map((json) => parse<AuditEvent>(json));
}
