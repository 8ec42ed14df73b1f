/**
 * @module
 * Who the actor is to the subject: the owner, an administrator of the same tenant, vendor support,
 * or nobody with a say. Every question starts here.
 */

import type { ReasonCode } from './decision';
import type { Actor, PolicyContext, Subject } from './inputs';
import type { PolicySettings } from './settings';

const holds = (roles: readonly string[], wanted: readonly string[]): boolean =>
  roles.some((role) => wanted.includes(role));

/** @internal The actor is the subject: same id in the same tenant. */
export function isOwner(actor: Actor, subject: Subject): boolean {
  return actor.id === subject.id && actor.tenantId === subject.tenantId;
}

/** @internal The user holds an administrator role of the policy. */
export function isAdminUser(settings: PolicySettings, user: Actor | Subject): boolean {
  return holds(user.roles, settings.admin.roles);
}

/**
 * @internal How an actor stands towards another user's 2FA: `tenant_admin` and `support_role` are
 * the only standings with powers; the others are refusal reasons.
 */
export function adminStanding(
  settings: PolicySettings,
  actor: Actor,
  subject: Subject,
): 'tenant_admin' | 'support_role' | 'not_admin' | 'different_tenant' {
  const admin = isAdminUser(settings, actor);
  if (admin && actor.tenantId === subject.tenantId) return 'tenant_admin';
  if (holds(actor.roles, settings.admin.supportRoles)) return 'support_role';
  return admin ? 'different_tenant' : 'not_admin';
}

/** @internal Whether the subject may switch his own 2FA on and off ("Can toggle 2FA"). */
export function mayToggle(settings: PolicySettings, subject: Subject): boolean {
  if (settings.admin.alwaysMayToggle && isAdminUser(settings, subject)) return true;
  return subject.settings.mayToggle ?? settings.self.defaultMayToggle;
}

/** @internal Whether 2FA exists at all for the subject's tenant. */
export function unavailable(settings: PolicySettings, ctx: PolicyContext): ReasonCode | undefined {
  const feature = settings.availableWithFeature;
  if (feature === undefined) return undefined;
  return ctx.tenantFeatures?.includes(feature) === true ? undefined : 'feature_unavailable';
}

/** @internal Whether a list of roles meets any of a rule's roles. */
export function holdsAny(roles: readonly string[], wanted: readonly string[]): boolean {
  return holds(roles, wanted);
}
