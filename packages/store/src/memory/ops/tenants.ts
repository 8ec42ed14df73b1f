/**
 * @module
 * The memory store's tenant settings: one record per tenant, replaced whole (the contract, store.ts).
 */
import type { TenantSettings } from '../../records';
import type { MemoryCore } from '../core';

export async function getTenantSettings(core: MemoryCore, tenantId: string): Promise<TenantSettings | null> {
  await core.ready();
  const settings = core.state.tenants.get(tenantId);
  return settings === undefined ? null : { ...settings };
}

export async function putTenantSettings(core: MemoryCore, settings: TenantSettings): Promise<void> {
  await core.ready();
  core.state.tenants.set(settings.tenantId, { ...settings });
  await core.persist();
}
