/**
 * @module
 * Preset `accountAdmin`: account administrators switch "Use 2FA" and "Can toggle 2FA" per user and
 * reset a user's 2FA; users set it up at their next login and may skip that set-up when allowed to toggle.
 */

import type { PolicyConfig } from '../config';
import { deepFreeze } from './freeze';

/**
 * An account-based product where administrators manage 2FA per user.
 *
 * | product behaviour | configuration |
 * | --- | --- |
 * | TOTP, codes valid for 30 seconds | `methods.allowed: ['totp']`, `otp.periodSeconds: 30` |
 * | admins set "Use 2FA" YES/NO on any profile of their account | `admin.require`, `admin.disableFor` |
 * | admins set "Can toggle 2FA" for usual users | `admin.setMayToggle` |
 * | users with the right change "Use 2FA" themselves; by default they have it | `self.toggle`, `self.defaultMayToggle: true` |
 * | admins may always toggle | `admin.alwaysMayToggle` |
 * | "Disable 2FA" on the first-login set-up screen | `self.skipSetup` |
 * | an admin resets a user's 2FA; a locked-out admin asks another admin | `admin.reset` (never oneself) |
 * | no other admin: technical support resets | `admin.supportRoles: ['support']` |
 * | after a successful login a user resets his own 2FA to move phones | `self.resetOwn` |
 *
 * @example
 * ```ts
 * import { accountAdmin, createPolicy } from '@secondfactor/policy';
 *
 * createPolicy(accountAdmin).canReset(admin, admin, ctx); // { allowed: false, reason: 'self_reset_forbidden' }
 * ```
 */
export const accountAdmin: PolicyConfig = deepFreeze({
  name: 'accountAdmin',
  methods: { allowed: ['totp'] },
  otp: { periodSeconds: 30 },
  admin: {
    roles: ['admin'],
    supportRoles: ['support'],
    require: true,
    setMayToggle: true,
    disableFor: true,
    reset: true,
    viewStatus: true,
    alwaysMayToggle: true,
  },
  self: { toggle: true, defaultMayToggle: true, skipSetup: true, resetOwn: true },
} satisfies PolicyConfig);
