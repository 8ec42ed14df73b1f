/**
 * @module
 * Preset `exclusiveMethod`: SMS codes or an authenticator app, one at a time; switching needs the
 * current method switched off first; a number another person of the account verified needs no new check.
 */

import type { PolicyConfig } from '../config';
import { deepFreeze } from './freeze';

/**
 * A customer administration with a choice of one second factor.
 *
 * | product behaviour | configuration |
 * | --- | --- |
 * | choose SMS or an authenticator app | `methods.allowed: ['sms', 'totp']` |
 * | changing the method needs the current one deactivated first | `methods.mode: 'exclusive'` |
 * | users switch 2FA on and off in their profile | `self.toggle: true` |
 * | an SMS code at every login once the number is verified | `sms` challenge, TTL 300 s |
 * | a number verified by another person of the account needs no new check | `self.trustPhoneVerifiedInTenant` |
 * | Change number | `canReplaceDevice`: a current second factor (`replace_device`, checklist G9) |
 * | Delete number | `canRemoveDevice`: the last number is the last factor, so switching 2FA off: password and a current second factor (`disable`, H5) |
 *
 * SMS stays restricted (NIST SP 800-63B §5.1.3.3): the app is always on offer beside it (checklist K4).
 *
 * @example
 * ```ts
 * import { createPolicy, exclusiveMethod } from '@secondfactor/policy';
 *
 * createPolicy(exclusiveMethod).canAddMethod(user, userWithSms, 'totp', ctx);
 * // { allowed: false, reason: 'exclusive_method_active', detail: { activeMethods: ['sms'], ... } }
 * ```
 */
export const exclusiveMethod: PolicyConfig = deepFreeze({
  name: 'exclusiveMethod',
  methods: { allowed: ['sms', 'totp'], mode: 'exclusive' },
  self: { toggle: true, trustPhoneVerifiedInTenant: true },
} satisfies PolicyConfig);
