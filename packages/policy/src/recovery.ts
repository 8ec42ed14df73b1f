/**
 * @module
 * Backup codes and phone numbers: regenerating the code set (checklist F6) and whether a phone number
 * another person of the same tenant already verified needs a second check.
 */

import { allow, type Decision, deny } from './decision';
import { staleProof } from './fresh';
import type { Actor, PolicyContext, Subject } from './inputs';
import type { PolicySettings } from './settings';
import { isOwner } from './standing';

/** @internal See `Policy.canRegenerateBackupCodes`. */
export function canRegenerateBackupCodes(
  settings: PolicySettings,
  actor: Actor,
  subject: Subject,
  ctx: PolicyContext,
): Decision {
  if (!isOwner(actor, subject)) return deny('not_owner', { method: 'backup_code' });
  if (!settings.backupCodes.issue) return deny('backup_codes_disabled');
  if (subject.settings.enrollment !== 'active') return deny('not_enrolled');
  // Checklist F6: a new set needs a current code from an existing factor.
  return staleProof(settings, actor, 'regenerate_backup_codes', ctx, true) ?? allow('owner');
}

/**
 * What the host knows about a phone number a user enters.
 *
 * @example
 * ```ts
 * import { createPolicy, exclusiveMethod, type PhoneNumberFacts } from '@secondfactor/policy';
 *
 * // Another user of tenant `acme` already verified the number.
 * const phone: PhoneNumberFacts = { verifiedBy: { userId: 'u2', tenantId: 'acme' } };
 * createPolicy(exclusiveMethod).canSkipPhoneVerification(actor, subject, phone, { now: clock() });
 * // { allowed: true, reason: 'phone_verified_in_tenant' } when actor and subject are the same user of `acme`
 * ```
 */
export interface PhoneNumberFacts {
  /**
   * The person who already verified this number, with his tenant (absent in a single-tenant policy);
   * `null` when nobody did.
   */
  verifiedBy: { userId: string; tenantId?: string | undefined } | null;
}

/** @internal See `Policy.canSkipPhoneVerification`. */
export function canSkipPhoneVerification(
  settings: PolicySettings,
  actor: Actor,
  subject: Subject,
  phone: PhoneNumberFacts,
  _ctx: PolicyContext,
): Decision {
  if (!isOwner(actor, subject)) return deny('not_owner', { method: 'sms' });
  const by = phone.verifiedBy;
  // Inputs are checked first: in a multi-tenant policy `by.tenantId` is a tenant id, in a single one absent.
  if (settings.self.trustPhoneVerifiedInTenant && by !== null && by.tenantId === subject.tenantId) {
    return allow('phone_verified_in_tenant');
  }
  return deny('phone_verification_required');
}
