/**
 * @module
 * The append-only audit log (checklist H8, K6): appended once per event id, listed newest first.
 */
import type { AuditEvent } from '@secondfactor/store';
import type { CheckedAuditFilter } from '@secondfactor/store/adapter';
import { auditJson, type Field, parse } from '../codec';
import { keyPart } from '../key-part';
import { conflict, type OpContext } from './context';

const part = (id: string | undefined): string => (id === undefined ? '' : keyPart(id));

/** Appends an event; `conflict` if its id was seen before (the original is kept). */
export async function appendAudit(ctx: OpContext, event: AuditEvent): Promise<void> {
  const args = [
    keyPart(event.id),
    auditJson(event),
    String(event.at),
    part(event.userId),
    part(event.tenantId),
  ];
  if ((await ctx.run('appendAudit', args)) !== 1) throw conflict('event.id');
}

/** Events newest first; equal times newest-appended first. */
export async function listAudit(
  ctx: OpContext,
  { userId, tenantId, since, limit }: CheckedAuditFilter,
): Promise<AuditEvent[]> {
  const args = [part(userId), part(tenantId), since === undefined ? '' : String(since), String(limit)];
  const rows = (await ctx.run('listAudit', args)) as Field[];
  return rows.map((json) => parse<AuditEvent>(json));
}
