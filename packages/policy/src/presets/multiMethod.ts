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
 * | the code is the last 4 digits of the calling number | `deliveredCodes.digitsByMethod.voice: 4` |
 * | one control panel account per user, no tenants | `tenancy: 'single'` |
 *
 * The 4-digit call code is the one exception checklist G1 allows: a call code gets 3 attempts
 * (`deliveredCodes.maxAttempts.voice`), so guessing succeeds with probability at most
 * s·v/10^d = 1 · 3 / 10^4 = 0.0003 per code sent, within the default `maxGuessProbability` of 0.001.
 * Under compliance `l2` or `l3` the preset does not validate.
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
  tenancy: 'single',
  deliveredCodes: { digits: 6, digitsByMethod: { voice: 4 }, maxAttempts: { voice: 3 } },
  self: { toggle: true },
  sessions: { revokeOthersOnEnable: true },
} satisfies PolicyConfig);
