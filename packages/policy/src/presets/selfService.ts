/**
 * @module
 * Preset `selfService`: users switch on 2FA themselves with an authenticator app, receive backup codes
 * they must confirm saving, and need a current code for new ones; admins may only switch it off.
 */

import type { PolicyConfig } from '../config';
import { deepFreeze } from './freeze';

/**
 * A platform where 2FA is each user's own choice.
 *
 * | product behaviour | configuration |
 * | --- | --- |
 * | 2FA is off by default; users enable it themselves | `requirement.default: false`, `self.toggle: true` |
 * | a six-digit code from an authenticator app | `methods.allowed: ['totp', ...]`, `otp.digits: 6` |
 * | server and phone clocks may differ by up to a minute | `otp.window: { past: 2, future: 2 }` (2 × 30 s) |
 * | attempt limits come from the authentication settings | `attempts` (override per deployment) |
 * | backup codes on enable, confirmed "saved" by the user | `backupCodes: { issue, acknowledgementRequired }` |
 * | each backup code works once, beside the app | `'backup_code'` (fallback only) |
 * | new codes need a confirmation code | fresh proof `regenerate_backup_codes: 'second_factor'` (default) |
 * | admins see who has 2FA and may disable it | `admin.viewStatus`, `admin.disableFor` |
 * | enabling 2FA for another account is not available | `admin.require: false`; enrollment is owner-only |
 * | one platform, its users and administrators | `tenancy: 'single'` |
 *
 * @example
 * ```ts
 * import { createPolicy, selfService } from '@secondfactor/policy';
 *
 * createPolicy(selfService).lifecycle().backupCodesAcknowledgementRequired; // true
 * ```
 */
export const selfService: PolicyConfig = deepFreeze({
  name: 'selfService',
  tenancy: 'single',
  methods: { allowed: ['totp', 'backup_code'] },
  otp: { digits: 6, periodSeconds: 30, window: { past: 2, future: 2 } },
  attempts: { maxFailures: 5 },
  admin: { disableFor: true, viewStatus: true },
  self: { toggle: true },
  backupCodes: { issue: true, acknowledgementRequired: true, count: 10 },
} satisfies PolicyConfig);
