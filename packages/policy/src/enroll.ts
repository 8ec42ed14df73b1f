/**
 * @module
 * Enrolling, adding and removing methods and devices. Only the owner ever enrolls or removes a device:
 * that check comes first in every question and no configuration switches it off (checklist H3).
 */

import type { Method } from '@secondfactor/core';
import { allow, type Decision, deny } from './decision';
import { staleProof } from './fresh';
import type { Actor, PolicyContext, Subject } from './inputs';
import { loginRequirement } from './login';
import { isPrimary, methodBarrier, usableEnrolled } from './method-rules';
import { canDisable, toggleRefusal } from './self';
import type { PolicySettings } from './settings';
import { isOwner, unavailable } from './standing';

/** Refusals shared by every enrollment question, in order: who, where, which method. */
function preconditions(
  settings: PolicySettings,
  actor: Actor,
  subject: Subject,
  method: Method,
  ctx: PolicyContext,
): Decision | undefined {
  if (!isOwner(actor, subject)) return deny('not_owner', { method });
  const gone = unavailable(settings, ctx);
  if (gone !== undefined) return deny(gone, { method, feature: settings.availableWithFeature });
  // Backup codes are issued with 2FA and regenerated, e-mail to the verified address needs no set-up.
  if (method === 'backup_code' || settings.methods.withoutEnrollment.includes(method)) {
    return deny('method_not_enrollable', { method });
  }
  const barrier = methodBarrier(settings, subject, method, ctx);
  return barrier === undefined ? undefined : deny(barrier, { method });
}

/** @internal See `Policy.canAddMethod`. */
export function canAddMethod(
  settings: PolicySettings,
  actor: Actor,
  subject: Subject,
  method: Method,
  ctx: PolicyContext,
): Decision {
  const refused = preconditions(settings, actor, subject, method, ctx);
  if (refused !== undefined) return refused;
  if (subject.settings.enrollment !== 'active') return deny('not_enrolled', { method });
  const primaries = usableEnrolled(settings, subject, ctx).filter((m) => isPrimary(settings, m));
  if (!isPrimary(settings, method) && primaries.length === 0) return deny('method_fallback_only', { method });
  if (settings.methods.mode === 'exclusive') {
    const others = primaries.filter((m) => m !== method);
    if (isPrimary(settings, method) && others.length > 0) {
      return deny('exclusive_method_active', { method, activeMethods: others });
    }
  }
  const limit = settings.methods.maxDevices[method];
  const held = subject.settings.devices.filter((d) => d.method === method).length;
  // One device per method: the user has this one already (a new number goes through canReplaceDevice).
  if (held >= limit)
    return deny(limit === 1 ? 'method_already_enrolled' : 'device_limit_reached', { method, limit });
  // Checklist H4: a new factor beside an active one needs a current second factor.
  return staleProof(settings, actor, 'add_method', ctx, true) ?? allow('owner', { method });
}

/** @internal See `Policy.canEnroll`. */
export function canEnroll(
  settings: PolicySettings,
  actor: Actor,
  subject: Subject,
  method: Method,
  ctx: PolicyContext,
): Decision {
  if (subject.settings.enrollment === 'active') return canAddMethod(settings, actor, subject, method, ctx);
  const refused = preconditions(settings, actor, subject, method, ctx);
  if (refused !== undefined) return refused;
  if (!isPrimary(settings, method)) return deny('method_fallback_only', { method });
  // A set-up the login asks for needs no permission; one the user starts himself is switching 2FA on.
  if (loginRequirement(settings, subject, ctx).kind !== 'enroll') {
    const toggle = toggleRefusal(settings, subject);
    if (toggle !== undefined) return toggle;
  }
  return staleProof(settings, actor, 'enroll', ctx, false) ?? allow('owner', { method });
}

/**
 * A device the host names: one of the subject's, by method and (when given) id.
 *
 * @example
 * ```ts
 * import { createPolicy, selfService, type DeviceChoice } from '@secondfactor/policy';
 *
 * const choice: DeviceChoice = { method: 'totp', id: 'app-1' };
 * createPolicy(selfService).canRemoveDevice(actor, subject, choice, { now: clock() });
 * ```
 */
export interface DeviceChoice {
  /** The method of the device. */
  method: Method;
  /** The host's id of the device; without it, the first device of `method`. */
  id?: string | undefined;
}

/** @internal The index of the subject's device the choice names, or -1. */
export function deviceIndex(subject: Subject, choice: DeviceChoice): number {
  return subject.settings.devices.findIndex(
    (d) => d.method === choice.method && (choice.id === undefined || d.id === choice.id),
  );
}

/** The refusal when `device` is not one of the subject's or the actor is not the subject, else `undefined`. */
function notOwnDevice(actor: Actor, subject: Subject, device: DeviceChoice): Decision | undefined {
  const { method } = device;
  if (!isOwner(actor, subject)) return deny('not_owner', { method });
  if (deviceIndex(subject, device) >= 0) return undefined;
  return deny(device.id === undefined ? 'method_not_enrolled' : 'device_not_found', { method });
}

/** @internal See `Policy.canRemoveDevice`. */
export function canRemoveDevice(
  settings: PolicySettings,
  actor: Actor,
  subject: Subject,
  device: DeviceChoice,
  ctx: PolicyContext,
): Decision {
  const { method } = device;
  const refused = notOwnDevice(actor, subject, device);
  if (refused !== undefined) return refused;
  const index = deviceIndex(subject, device);
  const rest = subject.settings.devices.filter((_, i) => i !== index);
  if (!rest.some((d) => isPrimary(settings, d.method))) {
    // A fallback (a voice number) may not outlive the last primary method.
    if (rest.length > 0) return deny('fallback_would_be_alone', { method });
    // Removing the last factor switches 2FA off: the same rules as disabling apply.
    return canDisable(settings, actor, subject, ctx);
  }
  return staleProof(settings, actor, 'remove_method', ctx, true) ?? allow('owner', { method });
}

/**
 * @internal See `Policy.canReplaceDevice`: "Change number" swaps one of the owner's devices for a new
 * one of the same method (confirmed like a new device) without switching 2FA off in between.
 */
export function canReplaceDevice(
  settings: PolicySettings,
  actor: Actor,
  subject: Subject,
  device: DeviceChoice,
  ctx: PolicyContext,
): Decision {
  const { method } = device;
  if (!isOwner(actor, subject)) return deny('not_owner', { method });
  const gone = unavailable(settings, ctx);
  if (gone !== undefined) return deny(gone, { method, feature: settings.availableWithFeature });
  const refused = notOwnDevice(actor, subject, device);
  if (refused !== undefined) return refused;
  const barrier = methodBarrier(settings, subject, method, ctx);
  if (barrier !== undefined) return deny(barrier, { method });
  // Checklist G9: a new number needs a current second factor.
  return staleProof(settings, actor, 'replace_device', ctx, true) ?? allow('owner', { method });
}
