/**
 * @module
 * What a login needs after the password was right: nothing, a set-up, or a second-factor challenge,
 * and which methods the user may answer with (checklist K1, K3).
 */

import type { Method } from '@secondfactor/core';
import { allow, type Decision, deny, type ReasonCode } from './decision';
import type { PolicyContext, Subject } from './inputs';
import { enrollable, enrollmentFree, isPrimary, methodBarrier, usableEnrolled } from './method-rules';
import { evaluateRequirement } from './requirement';
import type { PolicySettings } from './settings';
import { unavailable } from './standing';

/**
 * The step a login needs after the password.
 *
 * @example
 * ```ts
 * import { createPolicy, selfService } from '@secondfactor/policy';
 *
 * const now = clock();
 * const step = createPolicy(selfService).loginRequirement(subject, { now });
 * if (step.kind === 'challenge') step.methods; // ['totp'], with step.fallbackMethods ['backup_code']
 * if (step.kind === 'enroll' && step.graceStartsNow) saveGraceStart(subject.id, now); // next `graceStartedAt`
 * ```
 */
export interface LoginRequirement {
  /**
   * `none`: the login is complete; `enroll`: set 2FA up; `challenge`: answer a second factor; `denied`:
   * do not let this login through. No method the policy accepts can serve this user now (the tenant lost
   * the feature a method needs, or the policy no longer allows the user's devices): an administrator
   * must act, and `methods` is empty.
   */
  kind: 'none' | 'enroll' | 'challenge' | 'denied';
  /** Why; stable across versions. */
  reason: ReasonCode;
  /** `enroll`: methods the user may set up; `challenge`: primary methods he may answer with. */
  methods: readonly Method[];
  /** `challenge`: methods usable only beside a primary one (backup codes, a voice call). */
  fallbackMethods: readonly Method[];
  /** `enroll`: the user may postpone the set-up and finish this login. */
  deferrable: boolean;
  /** `enroll` during a grace period: whole seconds left. */
  graceRemainingSeconds?: number | undefined;
  /** `enroll`: the grace period starts with this login; store `ctx.now` as the subject's `graceStartedAt`. */
  graceStartsNow?: boolean | undefined;
  /** Role or tenant feature of the rule that decided. */
  rule?: string | undefined;
}

const denied: LoginRequirement = Object.freeze({
  kind: 'denied',
  reason: 'no_usable_method',
  methods: Object.freeze([]) as readonly Method[],
  fallbackMethods: Object.freeze([]) as readonly Method[],
  deferrable: false,
});

const none = (reason: ReasonCode, rule?: string): LoginRequirement => ({
  kind: 'none',
  reason,
  methods: [],
  fallbackMethods: [],
  deferrable: false,
  ...(rule === undefined ? {} : { rule }),
});

/** @internal See `Policy.loginRequirement`. */
export function loginRequirement(
  settings: PolicySettings,
  subject: Subject,
  ctx: PolicyContext,
): LoginRequirement {
  const gone = unavailable(settings, ctx);
  if (gone !== undefined) return none(gone, settings.availableWithFeature);
  const verdict = evaluateRequirement(settings, subject, ctx);
  const state = subject.settings.enrollment;

  const usable = usableEnrolled(settings, subject, ctx);
  const primaries = usable.filter((m) => isPrimary(settings, m));
  const fallbacks = usable.filter((m) => !isPrimary(settings, m));
  const setUp = enrollable(settings, subject, ctx);
  const mandatory = (reason: ReasonCode): LoginRequirement => ({
    kind: 'enroll',
    reason,
    methods: setUp,
    fallbackMethods: [],
    deferrable: false,
  });

  const free = enrollmentFree(settings, subject, ctx);
  if (state === 'active') {
    // Devices the policy no longer accepts leave the methods that need none (an e-mail code).
    if (primaries.length > 0 || free.length > 0) {
      const methods = [...primaries, ...free.filter((m) => !primaries.includes(m))];
      return {
        kind: 'challenge',
        reason: 'enrolled',
        methods,
        fallbackMethods: fallbacks,
        deferrable: false,
      };
    }
    // The user had 2FA but the policy no longer accepts any of his devices: never fall back to no 2FA,
    // and never to a set-up that a password alone could complete.
    return { ...denied };
  }
  if (state === 'reset') return setUp.length === 0 ? { ...denied } : mandatory('reset_pending');
  if (!verdict.required) return none(verdict.reason, verdict.rule);

  if (free.length > 0) {
    return {
      kind: 'challenge',
      reason: 'method_without_enrollment',
      methods: free,
      fallbackMethods: [],
      deferrable: false,
    };
  }
  if (setUp.length === 0) return { ...denied };

  const started = subject.settings.graceStartedAt;
  const endsAt = (started ?? ctx.now) + verdict.graceSeconds * 1000;
  const remaining = Math.max(0, Math.ceil((endsAt - ctx.now) / 1000));
  return {
    kind: 'enroll',
    reason: verdict.reason,
    methods: setUp,
    fallbackMethods: [],
    deferrable: remaining > 0,
    ...(remaining > 0 ? { graceRemainingSeconds: remaining } : {}),
    ...(started === null && remaining > 0 ? { graceStartsNow: true } : {}),
    ...(verdict.rule === undefined ? {} : { rule: verdict.rule }),
  };
}

/**
 * @internal See `Policy.canUseMethod`: a method named in a request is accepted only when the login
 * requirement offers it (checklist K3).
 */
export function canUseMethod(
  settings: PolicySettings,
  subject: Subject,
  choice: { method: Method; id?: string | undefined },
  ctx: PolicyContext,
): Decision {
  const { method } = choice;
  const barrier = methodBarrier(settings, subject, method, ctx);
  if (barrier !== undefined) return deny(barrier, { method });
  const need = loginRequirement(settings, subject, ctx);
  const offered = need.kind === 'challenge' ? [...need.methods, ...need.fallbackMethods] : need.methods;
  // A user picks only his own number or messenger account (checklist K3).
  if (
    choice.id !== undefined &&
    !subject.settings.devices.some((d) => d.method === method && d.id === choice.id)
  ) {
    return deny('device_not_found', { method });
  }
  if (offered.includes(method)) return allow('method_usable', { method });
  const held = subject.settings.devices.some((d) => d.method === method);
  return deny(need.kind === 'challenge' && !held ? 'method_not_enrolled' : 'method_not_offered', { method });
}
