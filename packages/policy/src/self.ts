/**
 * @module
 * What users may do to their own 2FA: switch it on and off, skip the first-login set-up, reset it to
 * move to a new phone. Every question here refuses an actor who is not the subject.
 */

import { allow, type Decision, deny } from './decision';
import { staleProof } from './fresh';
import type { Actor, PolicyContext, Subject } from './inputs';
import { loginRequirement } from './login';
import { enrollable } from './method-rules';
import { evaluateRequirement } from './requirement';
import type { PolicySettings } from './settings';
import { isAdminUser, isOwner, mayToggle, unavailable } from './standing';

const active = (subject: Subject): boolean => subject.settings.enrollment === 'active';

/** @internal Refuses unless the policy lets this subject switch his own 2FA. */
export function toggleRefusal(settings: PolicySettings, subject: Subject): Decision | undefined {
  if (!settings.self.toggle && !(settings.admin.alwaysMayToggle && isAdminUser(settings, subject))) {
    return deny('action_not_offered');
  }
  return mayToggle(settings, subject) ? undefined : deny('toggle_not_permitted');
}

/** @internal "Use 2FA: yes" on one's own profile (`Policy.canSetUseTwoFactor`). */
export function canEnable(
  settings: PolicySettings,
  actor: Actor,
  subject: Subject,
  ctx: PolicyContext,
): Decision {
  if (!isOwner(actor, subject)) return deny('not_owner');
  const gone = unavailable(settings, ctx);
  if (gone !== undefined) return deny(gone, { feature: settings.availableWithFeature });
  const refused = toggleRefusal(settings, subject);
  if (refused !== undefined) return refused;
  if (active(subject) || subject.settings.useTwoFactor === true) return deny('already_enabled');
  if (enrollable(settings, subject, ctx).length === 0) return deny('no_usable_method');
  return staleProof(settings, actor, 'enable', ctx, false) ?? allow('owner');
}

/** @internal "Use 2FA: no" on one's own profile (`Policy.canSetUseTwoFactor`), and removing the last device. */
export function canDisable(
  settings: PolicySettings,
  actor: Actor,
  subject: Subject,
  ctx: PolicyContext,
): Decision {
  if (!isOwner(actor, subject)) return deny('not_owner');
  const refused = toggleRefusal(settings, subject);
  if (refused !== undefined) return refused;
  const verdict = evaluateRequirement(settings, subject, ctx);
  if (verdict.enforced !== undefined) return deny(verdict.enforced);
  const s = subject.settings;
  if (s.enrollment === 'none' && s.useTwoFactor !== true && !verdict.required) return deny('not_enabled');
  // Checklist H5: turning 2FA off needs the password and a current second factor.
  return staleProof(settings, actor, 'disable', ctx, active(subject)) ?? allow('owner');
}

/** @internal See `Policy.canSkipSetup`. */
export function canSkipSetup(
  settings: PolicySettings,
  actor: Actor,
  subject: Subject,
  ctx: PolicyContext,
): Decision {
  if (!settings.self.skipSetup) return deny('action_not_offered', { action: 'skip_setup' });
  if (!isOwner(actor, subject)) return deny('not_owner');
  // Once 2FA was configured the login screen offers the code field only, never a way out.
  if (active(subject)) return deny('setup_complete');
  if (loginRequirement(settings, subject, ctx).kind !== 'enroll') return deny('not_enabled');
  if (!mayToggle(settings, subject)) return deny('toggle_not_permitted');
  const enforced = evaluateRequirement(settings, subject, ctx).enforced;
  if (enforced !== undefined) return deny(enforced);
  return staleProof(settings, actor, 'skip_setup', ctx, false) ?? allow('owner');
}

/** @internal See `Policy.canResetOwn`. */
export function canResetOwn(
  settings: PolicySettings,
  actor: Actor,
  subject: Subject,
  ctx: PolicyContext,
): Decision {
  if (!settings.self.resetOwn) return deny('action_not_offered', { action: 'reset_own' });
  if (!isOwner(actor, subject)) return deny('not_owner');
  if (!active(subject)) return deny('not_enrolled');
  // Only a user who just passed his second factor moves it: the lockout path goes through another admin.
  return staleProof(settings, actor, 'reset_own', ctx, true) ?? allow('owner');
}
