/**
 * @module
 * Whether 2FA is required for a subject. Opinions rank like Keycloak's conditional OTP: the per-user
 * switch, then role rules, then tenant-feature rules, then the default; the highest-ranked opinion
 * decides, except that a requiring rule marked non-waivable can be lifted by nobody. Grace periods
 * combine like GitLab's: of all requiring rules that apply, the shortest grace wins.
 */

import type { ReasonCode } from './decision';
import type { PolicyContext, Subject } from './inputs';
import type { PolicySettings } from './settings';

type Source = 'user' | 'role' | 'feature' | 'default';

interface Opinion {
  source: Source;
  require: boolean;
  waivable: boolean;
  graceSeconds: number;
  rule?: string | undefined;
}

/** @internal The outcome of the requirement rules for one subject. */
export interface RequirementVerdict {
  required: boolean;
  /** Reason code of the deciding opinion. */
  reason: ReasonCode;
  /** Role or feature of the deciding rule. */
  rule?: string | undefined;
  /** Set when a non-waivable rule requires 2FA: the reason nobody may lift it. */
  enforced?: ReasonCode | undefined;
  /** Shortest grace of every requiring opinion. */
  graceSeconds: number;
}

const REQUIRED_BY: Record<Source, ReasonCode> = {
  user: 'required_by_user_setting',
  role: 'required_by_role',
  feature: 'required_by_tenant',
  default: 'required_by_default',
};

const LIFTED_BY: Record<Source, ReasonCode> = {
  user: 'disabled_for_user',
  role: 'skipped_by_role',
  feature: 'skipped_by_tenant',
  default: 'not_required',
};

function opinions(settings: PolicySettings, subject: Subject, ctx: PolicyContext): Opinion[] {
  const r = settings.requirement;
  const out: Opinion[] = [];
  const own = subject.settings.useTwoFactor;
  // `null` and absent both mean "no per-user choice": the rules below decide (see AdminSwitch).
  if (typeof own === 'boolean') {
    out.push({ source: 'user', require: own, waivable: true, graceSeconds: r.userGraceSeconds });
  }
  for (const rule of r.roles) {
    const hit = rule.roles.find((role) => subject.roles.includes(role));
    if (hit !== undefined) {
      out.push({
        source: 'role',
        require: rule.require,
        waivable: rule.waivable,
        graceSeconds: rule.graceSeconds,
        rule: hit,
      });
    }
  }
  const features = ctx.tenantFeatures ?? [];
  for (const rule of r.features) {
    if (features.includes(rule.feature)) {
      out.push({
        source: 'feature',
        require: rule.require,
        waivable: rule.waivable,
        graceSeconds: rule.graceSeconds,
        rule: rule.feature,
      });
    }
  }
  out.push({
    source: 'default',
    require: r.default,
    waivable: r.defaultWaivable,
    graceSeconds: r.defaultGraceSeconds,
  });
  return out;
}

/** @internal Evaluates the requirement rules for a subject. */
export function evaluateRequirement(
  settings: PolicySettings,
  subject: Subject,
  ctx: PolicyContext,
): RequirementVerdict {
  const all = opinions(settings, subject, ctx);
  // The default opinion is always present, so the list is never empty.
  const first = all[0]!;
  const locked = all.find((o) => o.require && !o.waivable && o.source !== 'user');
  const deciding = first.require ? first : (locked ?? first);
  const requiring = all.filter((o) => o.require);
  return {
    required: deciding.require,
    reason: deciding.require ? REQUIRED_BY[deciding.source] : LIFTED_BY[deciding.source],
    rule: deciding.rule,
    enforced: locked === undefined ? undefined : REQUIRED_BY[locked.source],
    // GitLab: when several requiring rules apply, the shortest grace period wins.
    graceSeconds: requiring.length === 0 ? 0 : Math.min(...requiring.map((o) => o.graceSeconds)),
  };
}
