/**
 * @module
 * Tenant settings: one row per tenant (migration 6), replaced whole by one upsert, so concurrent writes
 * leave one whole record (the contract, packages/store/src/store.ts).
 */
import type { TenantSettings } from '@secondfactor/store';
import type { Context } from '../context';
import { int, nullable } from '../rows';

export async function getTenantSettings(ctx: Context, tenantId: string): Promise<TenantSettings | null> {
  const rows = await ctx.run(
    'getTenantSettings',
    `SELECT tenant_id, smtp_ciphertext, updated_at FROM ${ctx.t.tenantSettings} WHERE tenant_id = $1`,
    [tenantId],
  );
  const row = rows[0];
  if (row === undefined) return null;
  return {
    tenantId: String(row.tenant_id),
    ...(row.smtp_ciphertext === null ? {} : { smtpCiphertext: String(row.smtp_ciphertext) }),
    updatedAt: int(row.updated_at),
  };
}

export async function putTenantSettings(ctx: Context, settings: TenantSettings): Promise<void> {
  await ctx.run(
    'putTenantSettings',
    `INSERT INTO ${ctx.t.tenantSettings} (tenant_id, smtp_ciphertext, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (tenant_id) DO UPDATE SET smtp_ciphertext = EXCLUDED.smtp_ciphertext, updated_at = EXCLUDED.updated_at`,
    [settings.tenantId, nullable(settings.smtpCiphertext), settings.updatedAt],
  );
}
