/**
 * @module
 * Derived settings: a configuration with every default filled in and the compliance mode applied.
 * The engine answers from these; hosts read them for limits, lifetimes and session handling.
 */

import {
  DEFAULT_DIGITS,
  DEFAULT_LOOK_AHEAD,
  DEFAULT_PERIOD,
  DEFAULT_SECRET_BYTES,
  DEFAULT_WINDOW,
  METHODS,
  type Method,
} from '@secondfactor/core';
import { DEFAULT_FRESH_PROOF, type FreshProof, type PolicyAction } from './actions';
import type { FeatureRule, PolicyConfig, RoleRule } from './config';
import { PHONE_METHODS } from './methods';

/**
 * A role rule with its defaults filled in.
 *
 * @example
 * ```ts
 * import { createPolicy, type ResolvedRoleRule } from '@secondfactor/policy';
 *
 * const policy = createPolicy({
 *   methods: { allowed: ['totp'] },
 *   requirement: { roles: [{ roles: ['admin'], require: true }] },
 * });
 * const rules: readonly ResolvedRoleRule[] = policy.settings.requirement.roles;
 * rules[0]; // { roles: ['admin'], require: true, graceSeconds: 0, waivable: false, forbiddenMethods: [] }
 * ```
 */
export type ResolvedRoleRule = { readonly [K in keyof RoleRule]-?: Exclude<RoleRule[K], undefined> };
/**
 * A feature rule with its defaults filled in.
 *
 * @example
 * ```ts
 * import { createPolicy, partnerPortal, type ResolvedFeatureRule } from '@secondfactor/policy';
 *
 * const rules: readonly ResolvedFeatureRule[] = createPolicy(partnerPortal).settings.requirement.features;
 * rules[0]; // { feature: '2fa_totp', require: true, graceSeconds: 0, waivable: false }
 * ```
 */
export type ResolvedFeatureRule = { readonly [K in keyof FeatureRule]-?: Exclude<FeatureRule[K], undefined> };

/**
 * The settings a policy resolves to. See {@link PolicyConfig} for the meaning of each field.
 *
 * @example
 * ```ts
 * import { createPolicy, selfService, type PolicySettings } from '@secondfactor/policy';
 *
 * const settings: PolicySettings = createPolicy(selfService).settings;
 * settings.methods.fallbackOnly; // ['backup_code']
 * settings.tenancy; // 'single'
 * ```
 */
export interface PolicySettings {
  readonly name: string | undefined;
  readonly tenancy: 'single' | 'multi';
  /** Whether a question needs `ctx.tenantFeatures`: some rule of the policy names a feature. */
  readonly usesFeatures: boolean;
  readonly availableWithFeature: string | undefined;
  readonly compliance: 'none' | 'l2' | 'l3';
  readonly methods: {
    readonly allowed: readonly Method[];
    readonly mode: 'exclusive' | 'multi';
    /** Includes `backup_code`, which can never stand alone. */
    readonly fallbackOnly: readonly Method[];
    readonly restricted: readonly Method[];
    /** Methods that do not count as a second factor under the compliance mode (e-mail in `l2`). */
    readonly notMfaFactor: readonly Method[];
    /** Methods the compliance mode refuses outright (`l3`: SMS, voice, e-mail). */
    readonly forbidden: readonly Method[];
    readonly withoutEnrollment: readonly Method[];
    readonly requiresFeatures: Readonly<Record<Method, readonly string[]>>;
    readonly maxDevices: Readonly<Record<Method, number>>;
    readonly enableOnLink: readonly Method[];
    readonly pushToAllDevices: boolean;
    readonly voiceFallbackToSmsAfter: number | undefined;
  };
  readonly requirement: {
    readonly default: boolean;
    readonly defaultGraceSeconds: number;
    readonly defaultWaivable: boolean;
    readonly userGraceSeconds: number;
    readonly roles: readonly ResolvedRoleRule[];
    readonly features: readonly ResolvedFeatureRule[];
  };
  readonly admin: {
    readonly roles: readonly string[];
    readonly supportRoles: readonly string[];
    readonly require: boolean;
    readonly setMayToggle: boolean;
    readonly disableFor: boolean;
    readonly reset: boolean;
    readonly configureTenant: boolean;
    readonly viewStatus: boolean;
    readonly alwaysMayToggle: boolean;
  };
  readonly self: {
    readonly toggle: boolean;
    readonly defaultMayToggle: boolean;
    readonly skipSetup: boolean;
    readonly resetOwn: boolean;
    readonly trustPhoneVerifiedInTenant: boolean;
  };
  readonly attempts: {
    readonly maxFailures: number;
    readonly windowSeconds: number;
    readonly lockoutSeconds: number;
    readonly backoffFactor: number;
    readonly maxLockoutSeconds: number;
  };
  readonly otp: {
    readonly digits: number;
    readonly periodSeconds: number;
    readonly window: { readonly past: number; readonly future: number };
    readonly hotpLookAhead: number;
    readonly secretBytes: number;
  };
  readonly deliveredCodes: {
    readonly digits: Readonly<Record<Method, number>>;
    readonly ttlSeconds: Readonly<Record<Method, number>>;
    readonly maxAttempts: Readonly<Record<Method, number>>;
  };
  readonly backupCodes: {
    readonly issue: boolean;
    readonly acknowledgementRequired: boolean;
    readonly count: number;
  };
  readonly sessions: {
    readonly revokeOthersOnEnable: boolean;
    readonly revokeOthersOnDisable: boolean;
    readonly rememberDeviceDays: number;
  };
  readonly freshAuth: {
    readonly maxAgeSeconds: number;
    readonly proof: Readonly<Record<PolicyAction, FreshProof>>;
    readonly primaryFactorFor: readonly PolicyAction[];
  };
  readonly maxGuessProbability: number;
}

const perMethod = <T>(value: T, given: Partial<Record<Method, T>> | undefined): Record<Method, T> =>
  Object.fromEntries(METHODS.map((m) => [m, given?.[m] ?? value])) as Record<Method, T>;

const union = (...lists: ReadonlyArray<readonly Method[]>): readonly Method[] =>
  METHODS.filter((m) => lists.some((list) => list.includes(m)));

/**
 * Fills every default of a configuration and applies its compliance mode. Does not validate: call
 * `validatePolicy` (or `createPolicy`, which does both) for that.
 *
 * @example
 * ```ts
 * import { createPolicy, selfService } from '@secondfactor/policy';
 *
 * const settings = createPolicy(selfService).settings;
 * settings.backupCodes.acknowledgementRequired; // true
 * settings.attempts.maxFailures; // 5
 * ```
 */
export function resolvePolicy(config: PolicyConfig): PolicySettings {
  const compliance = config.compliance ?? 'none';
  const m = config.methods;
  const r = config.requirement ?? {};
  const a = config.admin ?? {};
  const s = config.self ?? {};
  const t = config.attempts ?? {};
  const o = config.otp ?? {};
  const strict = compliance !== 'none';
  const maxFailures = t.maxFailures ?? 5;
  const dc = config.deliveredCodes ?? {};
  return {
    name: config.name,
    tenancy: config.tenancy ?? 'multi',
    usesFeatures:
      config.availableWithFeature !== undefined ||
      (r.features ?? []).length > 0 ||
      Object.values(m.requiresFeatures ?? {}).some((list) => (list ?? []).length > 0),
    availableWithFeature: config.availableWithFeature,
    compliance,
    methods: {
      allowed: [...m.allowed],
      mode: m.mode ?? 'multi',
      fallbackOnly: union(m.fallbackOnly ?? [], ['backup_code']),
      // NIST SP 800-63B §5.1.3.3: the phone network stays restricted in every compliance mode.
      restricted: union(m.restricted ?? PHONE_METHODS, strict ? PHONE_METHODS : []),
      // NIST SP 800-63B §5.1.3.1: e-mail is not an out-of-band authenticator.
      notMfaFactor: strict ? ['email'] : [],
      forbidden: compliance === 'l3' ? union(PHONE_METHODS, ['email']) : [],
      withoutEnrollment: [...(m.withoutEnrollment ?? [])],
      requiresFeatures: perMethod<readonly string[]>([], m.requiresFeatures),
      maxDevices: perMethod(1, m.maxDevices),
      enableOnLink: [...(m.enableOnLink ?? [])],
      pushToAllDevices: m.pushToAllDevices ?? false,
      voiceFallbackToSmsAfter: m.voiceFallbackToSmsAfter,
    },
    requirement: {
      default: r.default ?? false,
      defaultGraceSeconds: r.defaultGraceSeconds ?? 0,
      defaultWaivable: r.defaultWaivable ?? false,
      userGraceSeconds: r.userGraceSeconds ?? 0,
      roles: (r.roles ?? []).map((rule) => ({
        roles: [...rule.roles],
        require: rule.require,
        graceSeconds: rule.graceSeconds ?? 0,
        waivable: rule.waivable ?? false,
        forbiddenMethods: [...(rule.forbiddenMethods ?? [])],
      })),
      features: (r.features ?? []).map((rule) => ({
        feature: rule.feature,
        require: rule.require,
        graceSeconds: rule.graceSeconds ?? 0,
        waivable: rule.waivable ?? false,
      })),
    },
    admin: {
      roles: [...(a.roles ?? ['admin'])],
      supportRoles: [...(a.supportRoles ?? [])],
      require: a.require ?? false,
      setMayToggle: a.setMayToggle ?? false,
      disableFor: a.disableFor ?? false,
      reset: a.reset ?? false,
      configureTenant: a.configureTenant ?? false,
      viewStatus: a.viewStatus ?? false,
      alwaysMayToggle: a.alwaysMayToggle ?? false,
    },
    self: {
      toggle: s.toggle ?? false,
      defaultMayToggle: s.defaultMayToggle ?? true,
      skipSetup: s.skipSetup ?? false,
      resetOwn: s.resetOwn ?? false,
      trustPhoneVerifiedInTenant: s.trustPhoneVerifiedInTenant ?? false,
    },
    attempts: {
      maxFailures,
      windowSeconds: t.windowSeconds ?? 900,
      lockoutSeconds: t.lockoutSeconds ?? 900,
      backoffFactor: t.backoffFactor ?? 1,
      maxLockoutSeconds: t.maxLockoutSeconds ?? Math.max(t.lockoutSeconds ?? 900, 86_400),
    },
    otp: {
      digits: o.digits ?? DEFAULT_DIGITS,
      periodSeconds: o.periodSeconds ?? DEFAULT_PERIOD,
      window: { past: o.window?.past ?? DEFAULT_WINDOW, future: o.window?.future ?? DEFAULT_WINDOW },
      hotpLookAhead: o.hotpLookAhead ?? DEFAULT_LOOK_AHEAD,
      secretBytes: o.secretBytes ?? DEFAULT_SECRET_BYTES,
    },
    deliveredCodes: {
      digits: perMethod(dc.digits ?? DEFAULT_DIGITS, dc.digitsByMethod),
      ttlSeconds: perMethod(300, dc.ttlSeconds),
      maxAttempts: perMethod(maxFailures, dc.maxAttempts),
    },
    backupCodes: {
      issue: config.backupCodes?.issue ?? false,
      acknowledgementRequired: config.backupCodes?.acknowledgementRequired ?? true,
      count: config.backupCodes?.count ?? 10,
    },
    sessions: {
      revokeOthersOnEnable: config.sessions?.revokeOthersOnEnable ?? false,
      revokeOthersOnDisable: config.sessions?.revokeOthersOnDisable ?? true,
      rememberDeviceDays: config.sessions?.rememberDeviceDays ?? 0,
    },
    freshAuth: {
      maxAgeSeconds: config.freshAuth?.maxAgeSeconds ?? 300,
      proof: { ...DEFAULT_FRESH_PROOF, ...config.freshAuth?.proof },
      primaryFactorFor: [...(config.freshAuth?.primaryFactorFor ?? ['regenerate_backup_codes'])],
    },
    maxGuessProbability: config.maxGuessProbability ?? 0.001,
  };
}
