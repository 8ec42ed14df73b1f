/**
 * @module
 * The append-only audit log (checklist H8, K6). The table refuses UPDATE and DELETE by trigger.
 */
import type { AuditEvent } from '@secondfactor/store';
import type { CheckedAuditFilter } from '@secondfactor/store/adapter';
import type { Context } from '../context';
import { nullable, toAuditEvent } from '../rows';

const COLUMNS = 'id, at, type, user_id, actor_id, tenant_id, data';

export async function appendAudit(ctx: Context, event: AuditEvent): Promise<void> {
  // An id seen before violates its unique index: `conflict`, never an overwrite.
  await ctx.run(
    'appendAudit',
    `INSERT INTO ${ctx.t.auditEvents} (${COLUMNS}) VALUES ($1, $2::bigint, $3, $4, $5, $6, $7)`,
    [
      event.id,
      event.at,
      event.type,
      nullable(event.userId),
      nullable(event.actorId),
      nullable(event.tenantId),
      event.data === undefined ? null : JSON.stringify(event.data),
    ],
  );
}

export async function listAudit(
  ctx: Context,
  { userId, tenantId, since, limit }: CheckedAuditFilter,
): Promise<AuditEvent[]> {
  // The contract's order (listAudit): `seq` is the append order, so it breaks ties of `at`.
  const rows = await ctx.run(
    'listAudit',
    `SELECT ${COLUMNS} FROM ${ctx.t.auditEvents}
     WHERE ($1::text IS NULL OR user_id = $1) AND ($2::text IS NULL OR tenant_id = $2)
       AND ($3::bigint IS NULL OR at >= $3::bigint)
     ORDER BY at DESC, seq DESC LIMIT $4`,
    [nullable(userId), nullable(tenantId), nullable(since), limit],
  );
  return rows.map(toAuditEvent);
}
