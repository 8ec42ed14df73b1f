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
  // Acting on another user's 2FA: a second-factor part of the proof is always asked for (never dropped).
): Decision => staleProof(settings, actor, action, ctx, true) ?? granted;

/** @internal "Use 2FA: yes" set by an administrator on another user's profile (`Policy.canSetUseTwoFactor`). */
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

/** @internal "Use 2FA: no" set by an administrator for another user (`Policy.canSetUseTwoFactor`). */
export function canDisableFor(
  settings: PolicySettings,
  actor: Actor,
  subject: Subject,
  ctx: PolicyContext,
): Decision {
  const held = standing(settings, actor, subject, settings.admin.disableFor, 'disable_for', false);
  if (!held.allowed) return held;
  const verdict = evaluateRequirement(settings, subject, ctx);
  if (verdict.enforced !== undefined) return deny(verdict.enforced);
  // Nothing to switch off: no device, no pending set-up and no rule or switch asking for one.
  const own = subject.settings;
  if (own.enrollment === 'none' && own.useTwoFactor !== true && !verdict.required) return deny('not_enabled');
  return fresh(settings, actor, 'disable_for', ctx, held);
}

/**
 * @internal Who may change a tenant's 2FA settings (methods on or off, the SMTP server): an administrator
 * of that tenant, where the policy offers it. Support roles may not.
 */
export function canConfigureTenant(
  settings: PolicySettings,
  actor: Actor,
  tenantId: string | undefined,
  ctx: PolicyContext,
): Decision {
  const action = 'configure_tenant';
  if (!settings.admin.configureTenant) return deny('action_not_offered', { action });
  if (!isAdminUser(settings, actor)) return deny('not_admin', { action });
  if (actor.tenantId !== tenantId) return deny('different_tenant', { action });
  return fresh(settings, actor, action, ctx, allow('tenant_admin'));
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
