/**
 * @module
 * The memory store's append-only audit log: events in append order, their ids in a set of their own.
 */

import type { CheckedAuditFilter } from '../../adapter/operations';
import type { AuditEvent } from '../../records';
import { conflict, type MemoryCore } from '../core';
import { out } from '../state';

export async function appendAudit(core: MemoryCore, event: AuditEvent): Promise<void> {
  await core.ready();
  // Append-only (see appendAudit in the contract): a known id is found in `auditIds`, and nothing is written.
  if (core.state.auditIds.has(event.id)) conflict('event.id');
  core.state.audit.push(event);
  core.state.auditIds.add(event.id);
  await core.persist();
}

export async function listAudit(
  core: MemoryCore,
  { userId, tenantId, since, limit }: CheckedAuditFilter,
): Promise<AuditEvent[]> {
  await core.ready();
  // The contract's order (listAudit): the append order reversed, then a stable sort by `at`, so events of
  // the same millisecond keep newest-appended first.
  return [...core.state.audit]
    .reverse()
    .filter(
      (event) =>
        (userId === undefined || event.userId === userId) &&
        (tenantId === undefined || event.tenantId === tenantId) &&
        (since === undefined || event.at >= since),
    )
    .sort((a, b) => b.at - a.at)
    .slice(0, limit)
    .map(out);
}
