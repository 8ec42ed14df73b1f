/**
 * @module
 * The tenants' 2FA features, as a host keeps them and the service asks for them (`tenantFeatures`):
 * the switches of the partner's settings page (`2fa_totp`, `2fa_email`) and `smtp`, which a tenant has
 * once its administrator saved an SMTP server. Kept in memory: a restart goes back to the seeded ones.
 */
import type { TenantFeatures, TwoFactor } from '@secondfactor/service';
import type { DemoTenant } from './products';

export interface Tenants {
  list(): DemoTenant[];
  find(id: string | undefined): DemoTenant | undefined;
  /** Turns `feature` on or off for the tenant. */
  set(id: string, feature: string, on: boolean): void;
  /** The service's `tenantFeatures`, once the service exists (it reads the SMTP settings). */
  features(twoFactor: () => TwoFactor): TenantFeatures;
}

export function createTenants(seed: readonly DemoTenant[]): Tenants {
  const tenants = new Map(seed.map((tenant) => [tenant.id, { ...tenant, features: [...tenant.features] }]));
  return {
    list: () => [...tenants.values()],
    find: (id) => (id === undefined ? undefined : tenants.get(id)),
    set(id, feature, on) {
      const tenant = tenants.get(id);
      if (tenant === undefined) return;
      const others = tenant.features.filter((name) => name !== feature);
      tenant.features = on ? [...others, feature] : others;
    },
    features: (twoFactor) => async (tenantId) => {
      const tenant = tenantId === undefined ? undefined : tenants.get(tenantId);
      if (tenant === undefined || tenantId === undefined) return [];
      const hasSmtp = (await twoFactor().tenantSmtp(tenantId)) !== null;
      return hasSmtp ? [...tenant.features, 'smtp'] : tenant.features;
    },
  };
}
