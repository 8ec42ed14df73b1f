/**
 * @module
 * Derived answers a service needs while it runs a login: attempt limits in the store's shape,
 * code lifetimes, the delivery channel of a voice code, backup-code and session handling.
 */

import type { FailureLimits, Method } from '@secondfactor/core';
import type { PolicySettings } from './settings';

/**
 * The attempt limits of a policy, ready for the store's failure counter (checklist E1).
 *
 * @example
 * ```ts
 * import { createPolicy, selfService } from '@secondfactor/policy';
 *
 * createPolicy(selfService).failureLimits().maxFailures; // 5
 * ```
 */
export function failureLimits(settings: PolicySettings): Required<FailureLimits> {
  const a = settings.attempts;
  return {
    maxFailures: a.maxFailures,
    windowMs: a.windowSeconds * 1000,
    lockoutMs: a.lockoutSeconds * 1000,
    backoffFactor: a.backoffFactor,
    maxLockoutMs: a.maxLockoutSeconds * 1000,
  };
}

/**
 * What a code of one method looks like and how long it lives.
 *
 * @example
 * ```ts
 * import { createPolicy, multiMethod } from '@secondfactor/policy';
 *
 * const { digits, ttlSeconds } = createPolicy(multiMethod).codeFormat('voice'); // 4, 300
 * ```
 */
export interface CodeFormat {
  /** Digits the user types; `undefined` for push approvals and backup codes (their own format). */
  digits: number | undefined;
  /**
   * Life of a delivered code (e-mail, SMS, voice) or a push request in seconds (checklist G2); the time
   * step for `totp`; `undefined` for `hotp` and backup codes, which do not expire.
   */
  ttlSeconds: number | undefined;
  /**
   * Wrong codes one challenge of this method accepts before it locks (delivered codes and push). For
   * `totp`, `hotp` and backup codes the account's attempt limit (`failureLimits().maxFailures`) applies.
   */
  maxAttempts: number;
}

/**
 * Digits, lifetime and attempt limit of a code of `method`.
 *
 * @example
 * ```ts
 * import { createPolicy, multiMethod } from '@secondfactor/policy';
 *
 * createPolicy(multiMethod).codeFormat('voice'); // { digits: 4, ttlSeconds: 300, maxAttempts: 3 }
 * ```
 */
export function codeFormat(settings: PolicySettings, method: Method): CodeFormat {
  const delivered = settings.deliveredCodes;
  switch (method) {
    case 'totp':
      return {
        digits: settings.otp.digits,
        ttlSeconds: settings.otp.periodSeconds,
        maxAttempts: settings.attempts.maxFailures,
      };
    case 'hotp':
      return {
        digits: settings.otp.digits,
        ttlSeconds: undefined,
        maxAttempts: settings.attempts.maxFailures,
      };
    case 'backup_code':
      return { digits: undefined, ttlSeconds: undefined, maxAttempts: settings.attempts.maxFailures };
    case 'push':
      return {
        digits: undefined,
        ttlSeconds: delivered.ttlSeconds.push,
        maxAttempts: delivered.maxAttempts.push,
      };
    default:
      return {
        digits: delivered.digits[method],
        ttlSeconds: delivered.ttlSeconds[method],
        maxAttempts: delivered.maxAttempts[method],
      };
  }
}

/**
 * The channel that carries the next code of a voice login: a call until the policy's
 * `voiceFallbackToSmsAfter` calls were placed for this login, an SMS after that.
 *
 * @example
 * ```ts
 * import { createPolicy, multiMethod } from '@secondfactor/policy';
 *
 * const policy = createPolicy(multiMethod);
 * policy.voiceDeliveryChannel(0); // 'voice'
 * policy.voiceDeliveryChannel(3); // 'sms'
 * ```
 */
export function voiceDeliveryChannel(settings: PolicySettings, callsPlaced: number): 'voice' | 'sms' {
  const after = settings.methods.voiceFallbackToSmsAfter;
  return after !== undefined && callsPlaced >= after ? 'sms' : 'voice';
}

/**
 * What a service does around enabling and disabling 2FA.
 *
 * @example
 * ```ts
 * import { createPolicy, selfService } from '@secondfactor/policy';
 *
 * const lifecycle = createPolicy(selfService).lifecycle();
 * lifecycle.issueBackupCodes; // true
 * lifecycle.backupCodeCount; // 10
 * ```
 */
export interface LifecycleSettings {
  /** Generate backup codes when 2FA is enabled. */
  issueBackupCodes: boolean;
  /** Enable completes only once the user confirmed he saved the codes. */
  backupCodesAcknowledgementRequired: boolean;
  /** Codes per set. */
  backupCodeCount: number;
  /** Sign out every other session of the user when 2FA is enabled (checklist I5). */
  revokeOtherSessionsOnEnable: boolean;
  /** Sign out every other session when 2FA is disabled or reset (checklist I5). */
  revokeOtherSessionsOnDisable: boolean;
  /** Methods whose first linked device switches 2FA on by itself. */
  enableOnLink: readonly Method[];
  /** Push approval goes to every linked device at once. */
  pushToAllDevices: boolean;
}

/**
 * Backup-code and session handling of a policy.
 *
 * @example
 * ```ts
 * import { createPolicy, multiMethod } from '@secondfactor/policy';
 *
 * createPolicy(multiMethod).lifecycle().revokeOtherSessionsOnEnable; // true
 * ```
 */
export function lifecycleSettings(settings: PolicySettings): LifecycleSettings {
  return {
    issueBackupCodes: settings.backupCodes.issue,
    backupCodesAcknowledgementRequired:
      settings.backupCodes.issue && settings.backupCodes.acknowledgementRequired,
    backupCodeCount: settings.backupCodes.count,
    revokeOtherSessionsOnEnable: settings.sessions.revokeOthersOnEnable,
    revokeOtherSessionsOnDisable: settings.sessions.revokeOthersOnDisable,
    enableOnLink: settings.methods.enableOnLink,
    pushToAllDevices: settings.methods.pushToAllDevices,
  };
}
