/**
 * @module
 * Tenant settings (see `SecondFactorStore.getTenantSettings` and `putTenantSettings`): one JSON string per
 * tenant, `P{t:<tenant>}:settings`, written whole, so concurrent writes leave one whole record.
 */
import type { TenantSettings } from '@secondfactor/store';
import { keyPart } from '../key-part';
import type { OpContext } from './context';

/** The tenant's settings, or null. */
export async function getTenantSettings(ctx: OpContext, tenantId: string): Promise<TenantSettings | null> {
  const json = await ctx.run('getTenantSettings', [ctx.key.tenant(keyPart(tenantId))], []);
  if (typeof json !== 'string') return null;
  const { smtpCiphertext, updatedAt } = JSON.parse(json) as { smtpCiphertext?: string; updatedAt: number };
  return { tenantId, ...(smtpCiphertext === undefined ? {} : { smtpCiphertext }), updatedAt };
}

/** Replaces the tenant's settings in one SET. */
export async function putTenantSettings(ctx: OpContext, settings: TenantSettings): Promise<void> {
  const { smtpCiphertext, updatedAt } = settings;
  await ctx.run(
    'putTenantSettings',
    [ctx.key.tenant(keyPart(settings.tenantId))],
    [JSON.stringify({ smtpCiphertext, updatedAt })],
  );
}
