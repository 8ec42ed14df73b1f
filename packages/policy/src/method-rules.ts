/**
 * @module
 * Which methods a subject may enroll and use: the policy's list, the compliance mode, the tenant's
 * features and the subject's role rules (checklist K2, G10), and what each method is (restricted,
 * fallback only, a second factor at all).
 */

import type { Method } from '@secondfactor/core';
import type { ReasonCode } from './decision';
import type { PolicyContext, Subject } from './inputs';
import type { PolicySettings } from './settings';
import { holdsAny } from './standing';

/**
 * What a policy makes of one method.
 *
 * @example
 * ```ts
 * import { createPolicy, multiMethod } from '@secondfactor/policy';
 *
 * const info = createPolicy(multiMethod).methodInfo('voice');
 * info.fallbackOnly; // true
 * info.restricted; // true
 * ```
 */
export interface MethodInfo {
  /** The policy lists the method and the compliance mode does not refuse it. */
  allowed: boolean;
  /** Restricted (SMS, voice): usable, never the only method offered (NIST SP 800-63B §5.1.3.3). */
  restricted: boolean;
  /** Usable only beside a primary method; never enrolled alone. */
  fallbackOnly: boolean;
  /** Counts as a second factor under the compliance mode (e-mail does not in `l2`/`l3`). */
  mfaFactor: boolean;
  /** Usable without enrollment (a code to the account's verified address). */
  withoutEnrollment: boolean;
}

/**
 * What a policy makes of one method.
 *
 * @example
 * ```ts
 * import { createPolicy, multiMethod } from '@secondfactor/policy';
 *
 * createPolicy(multiMethod).methodInfo('voice'); // { allowed: true, restricted: true, fallbackOnly: true, ... }
 * ```
 */
export function methodInfo(settings: PolicySettings, method: Method): MethodInfo {
  const m = settings.methods;
  return {
    allowed: m.allowed.includes(method) && !m.forbidden.includes(method),
    restricted: m.restricted.includes(method),
    fallbackOnly: m.fallbackOnly.includes(method),
    mfaFactor: !m.notMfaFactor.includes(method),
    withoutEnrollment: m.withoutEnrollment.includes(method),
  };
}

/** @internal Methods forbidden to the subject by any role rule that matches him (K2). */
export function forbiddenForSubject(settings: PolicySettings, subject: Subject): readonly Method[] {
  const out = new Set<Method>();
  for (const rule of settings.requirement.roles) {
    if (holdsAny(subject.roles, rule.roles)) for (const m of rule.forbiddenMethods) out.add(m);
  }
  return [...out];
}

/**
 * @internal Why `method` cannot serve this subject in this tenant at all, or `undefined` when it can.
 * Enrollment, mode and device limits are checked elsewhere.
 */
export function methodBarrier(
  settings: PolicySettings,
  subject: Subject,
  method: Method,
  ctx: PolicyContext,
): ReasonCode | undefined {
  const m = settings.methods;
  if (!m.allowed.includes(method)) return 'method_not_allowed';
  if (m.forbidden.includes(method)) return 'method_forbidden_by_compliance';
  if (m.notMfaFactor.includes(method)) return 'method_not_mfa_factor';
  const features = ctx.tenantFeatures ?? [];
  if (!m.requiresFeatures[method].every((f) => features.includes(f))) return 'method_unavailable_for_tenant';
  if (forbiddenForSubject(settings, subject).includes(method)) return 'method_forbidden_for_role';
  return undefined;
}

/**
 * @internal Methods the subject holds that still pass every barrier, in policy order: those of his
 * confirmed devices, and backup codes while his set has unused codes.
 */
export function usableEnrolled(settings: PolicySettings, subject: Subject, ctx: PolicyContext): Method[] {
  const held = new Set(subject.settings.devices.map((d) => d.method));
  if ((subject.settings.backupCodesRemaining ?? 0) > 0) held.add('backup_code');
  return settings.methods.allowed.filter(
    (m) => held.has(m) && methodBarrier(settings, subject, m, ctx) === undefined,
  );
}

/** @internal Primary methods the subject may set up now (not fallback-only, not enrollment-free). */
export function enrollable(settings: PolicySettings, subject: Subject, ctx: PolicyContext): Method[] {
  const m = settings.methods;
  return m.allowed.filter(
    (method) =>
      !m.fallbackOnly.includes(method) &&
      !m.withoutEnrollment.includes(method) &&
      methodBarrier(settings, subject, method, ctx) === undefined,
  );
}

/** @internal Enrollment-free methods usable by the subject now. */
export function enrollmentFree(settings: PolicySettings, subject: Subject, ctx: PolicyContext): Method[] {
  return settings.methods.withoutEnrollment.filter(
    (method) => methodBarrier(settings, subject, method, ctx) === undefined,
  );
}

/** @internal Whether a method counts as primary (may stand alone). */
export function isPrimary(settings: PolicySettings, method: Method): boolean {
  return !settings.methods.fallbackOnly.includes(method);
}
