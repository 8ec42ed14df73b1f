/**
 * @module
 * Preset `partnerPortal`: 2FA exists only for partner tenants; a partner configures an authenticator
 * app, an e-mail code over its own SMTP settings, or both; the code screen follows username + password.
 */

import type { PolicyConfig } from '../config';
import { deepFreeze } from './freeze';

/**
 * A portal where two-factor login is a partner feature.
 *
 * | product behaviour | configuration |
 * | --- | --- |
 * | 2FA exists for partner tenants only | `availableWithFeature: 'partner'` |
 * | the partner turns on TOTP in its settings | feature `2fa_totp` requires 2FA and enables `totp` |
 * | e-mail codes need SMTP settings and the `2FA_EMAIL` configuration | `email` needs features `2fa_email` + `smtp` |
 * | e-mail codes go to the account's address, no set-up | `withoutEnrollment: ['email']` |
 * | codes from the app change every 30 seconds | `otp.periodSeconds: 30` |
 * | settings live in the partner's admin panel, not with users | `admin.configureTenant` (a partner's admin); no self powers |
 *
 * Tenant features the host passes in `ctx.tenantFeatures`: `partner`, `2fa_totp`, `2fa_email`, `smtp`.
 *
 * @example
 * ```ts
 * import { createPolicy, partnerPortal } from '@secondfactor/policy';
 *
 * const policy = createPolicy(partnerPortal);
 * policy.loginRequirement(user, { now: Date.now(), tenantFeatures: ['partner', '2fa_email', 'smtp'] });
 * // { kind: 'challenge', reason: 'method_without_enrollment', methods: ['email'], ... }
 * ```
 */
export const partnerPortal: PolicyConfig = deepFreeze({
  name: 'partnerPortal',
  availableWithFeature: 'partner',
  methods: {
    allowed: ['totp', 'email'],
    withoutEnrollment: ['email'],
    requiresFeatures: { totp: ['2fa_totp'], email: ['2fa_email', 'smtp'] },
  },
  requirement: {
    features: [
      { feature: '2fa_totp', require: true },
      { feature: '2fa_email', require: true },
    ],
  },
  otp: { periodSeconds: 30 },
  admin: { roles: ['admin'], configureTenant: true },
} satisfies PolicyConfig);
