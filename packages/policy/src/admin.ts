/**
 * @module
 * What administrators may do to another user's 2FA: require it, grant "Can toggle", turn it off,
 * reset it, see it. Administrators act only inside their own tenant; support roles act across tenants
 * but may only reset and view. Nobody resets his own 2FA through these powers.
 */

import type { PolicyAction } from './actions';
import { allow, type Decision, deny } from './decision';
import { staleProof } from './fresh';
import type { Actor, PolicyContext, Subject } from './inputs';
import { evaluateRequirement } from './requirement';
import type { PolicySettings } from './settings';
import { adminStanding, isAdminUser, isOwner, unavailable } from './standing';

/** An actor with an admin session proves a second factor only if he passed one in this session. */
const provesSecondFactor = (actor: Actor): boolean => actor.secondFactorAt !== undefined;

/** Refuses unless the policy offers the power and the actor holds it over the subject. */
function standing(
  settings: PolicySettings,
  actor: Actor,
  subject: Subject,
  power: boolean,
  action: PolicyAction,
  supportMay: boolean,
): Decision {
  if (!power) return deny('action_not_offered', { action });
  const held = adminStanding(settings, actor, subject);
  if (held === 'not_admin' || held === 'different_tenant') return deny(held, { action });
  if (held === 'support_role' && !supportMay) return deny('not_admin', { action });
  return allow(held);
}

/** Checks the actor's fresh authentication last, after every rule that could refuse anyway. */
const fresh = (
  settings: PolicySettings,
  actor: Actor,
  action: PolicyAction,
  ctx: PolicyContext,
  granted: Decision,
): Decision => staleProof(settings, actor, action, ctx, provesSecondFactor(actor)) ?? granted;

/** @internal See `Policy.canRequire`. Requiring 2FA for oneself is allowed: it only adds protection. */
export function canRequire(
  settings: PolicySettings,
  actor: Actor,
  subject: Subject,
  ctx: PolicyContext,
): Decision {
  const held = standing(settings, actor, subject, settings.admin.require, 'require', false);
  if (!held.allowed) return held;
  if (unavailable(settings, ctx) !== undefined) return deny('feature_unavailable');
  return fresh(settings, actor, 'require', ctx, held);
}

/** @internal See `Policy.canSetMayToggle`. */
export function canSetMayToggle(
  settings: PolicySettings,
  actor: Actor,
  subject: Subject,
  ctx: PolicyContext,
): Decision {
  const held = standing(settings, actor, subject, settings.admin.setMayToggle, 'set_may_toggle', false);
  if (!held.allowed) return held;
  // Granting oneself the right to switch 2FA off would be a privilege an administrator gives himself.
  if (isOwner(actor, subject)) return deny('self_target');
  if (settings.admin.alwaysMayToggle && isAdminUser(settings, subject)) return deny('subject_is_admin');
  return fresh(settings, actor, 'set_may_toggle', ctx, held);
}

/** @internal See `Policy.canDisableFor`. */
export function canDisableFor(
  settings: PolicySettings,
  actor: Actor,
  subject: Subject,
  ctx: PolicyContext,
): Decision {
  const held = standing(settings, actor, subject, settings.admin.disableFor, 'disable_for', false);
  if (!held.allowed) return held;
  // His own 2FA an administrator turns off like any user, with a fresh second factor (canDisable).
  if (isOwner(actor, subject)) return deny('self_target');
  const enforced = evaluateRequirement(settings, subject, ctx).enforced;
  if (enforced !== undefined) return deny(enforced);
  return fresh(settings, actor, 'disable_for', ctx, held);
}

/** @internal See `Policy.canReset`. */
export function canReset(
  settings: PolicySettings,
  actor: Actor,
  subject: Subject,
  ctx: PolicyContext,
): Decision {
  const held = standing(settings, actor, subject, settings.admin.reset, 'reset', true);
  // A locked-out administrator is reset by another administrator, never by himself.
  if (isOwner(actor, subject)) return deny('self_reset_forbidden');
  if (!held.allowed) return held;
  if (subject.settings.enrollment === 'none') return deny('not_enrolled');
  return fresh(settings, actor, 'reset', ctx, held);
}

/** @internal See `Policy.canViewTwoFactorStatus`. */
export function canViewTwoFactorStatus(
  settings: PolicySettings,
  actor: Actor,
  subject: Subject,
  ctx: PolicyContext,
): Decision {
  if (isOwner(actor, subject)) return allow('owner');
  const held = standing(settings, actor, subject, settings.admin.viewStatus, 'view_status', true);
  return held.allowed ? fresh(settings, actor, 'view_status', ctx, held) : held;
}
