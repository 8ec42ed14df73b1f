/**
 * @module
 * Preset `multiMethod`: push approval to every linked messenger account, authenticator apps on several
 * devices, and a voice call (falling back to SMS) that only ever backs the other two up.
 */

import type { PolicyConfig } from '../config';
import { deepFreeze } from './freeze';

/**
 * A control panel with several second factors side by side.
 *
 * | product behaviour | configuration |
 * | --- | --- |
 * | confirm the login in a messenger bot | `'push'` |
 * | a code from an authenticator app, on several devices | `'totp'`, `maxDevices.totp: 5` |
 * | a call whose caller number ends in the code, only as a fallback to the other two | `'voice'` in `fallbackOnly` |
 * | after several unanswered calls an SMS carries the code | `voiceFallbackToSmsAfter: 3` |
 * | several messenger accounts: the bot asks each of them | `maxDevices.push: 5`, `pushToAllDevices` |
 * | several phone numbers: the user picks one to call | `maxDevices.voice: 5` |
 * | linking a messenger account switches 2FA on | `enableOnLink: ['push']` |
 * | users enable and disable each method themselves | `self.toggle: true` |
 * | enabling 2FA signs out every other session | `sessions.revokeOthersOnEnable` |
 *
 * The product's call code is the caller number's last 4 digits; this preset keeps 6, the floor every
 * code has here (checklist G1, K5).
 *
 * @example
 * ```ts
 * import { createPolicy, multiMethod } from '@secondfactor/policy';
 *
 * createPolicy(multiMethod).methodInfo('voice').fallbackOnly; // true
 * ```
 */
export const multiMethod: PolicyConfig = deepFreeze({
  name: 'multiMethod',
  methods: {
    allowed: ['push', 'totp', 'voice'],
    mode: 'multi',
    fallbackOnly: ['voice'],
    maxDevices: { push: 5, totp: 5, voice: 5 },
    enableOnLink: ['push'],
    pushToAllDevices: true,
    voiceFallbackToSmsAfter: 3,
  },
  deliveredCodes: { digits: 6 },
  self: { toggle: true },
  sessions: { revokeOthersOnEnable: true },
} satisfies PolicyConfig);
