/**
 * @module
 * The policy configuration: plain, serialisable data a host writes once (or takes from a preset) and
 * checks with `validatePolicy`. Every field but `methods.allowed` has a documented default.
 */

import type { Method } from '@secondfactor/core';
import type { FreshProof, PolicyAction } from './actions';

/**
 * Which methods exist and how they combine.
 *
 * @example
 * ```ts
 * import { createPolicy } from '@secondfactor/policy';
 *
 * const policy = createPolicy({
 *   methods: { allowed: ['totp', 'sms', 'backup_code'], mode: 'multi', maxDevices: { sms: 2 } },
 * });
 * policy.methodInfo('sms').restricted; // true
 * ```
 */
export interface MethodsConfig {
  /** The methods users of this policy may use, in order of preference. */
  allowed: readonly Method[];
  /**
   * `exclusive`: one method at a time; switching needs the current one disabled first.
   * `multi`: several methods and devices side by side. Backup codes never count against either mode.
   * @default 'multi'
   */
  mode?: 'exclusive' | 'multi' | undefined;
  /** Methods usable only beside another, primary method; never enrolled alone. @default [] */
  fallbackOnly?: readonly Method[] | undefined;
  /**
   * Restricted methods (NIST SP 800-63B §5.1.3.3): usable, never the only method a policy offers.
   * @default ['sms', 'voice']
   */
  restricted?: readonly Method[] | undefined;
  /** Methods that need no enrollment (e.g. a code to the account's verified e-mail address). @default [] */
  withoutEnrollment?: readonly Method[] | undefined;
  /** Tenant features a method needs before it exists for a tenant (e.g. `{ email: ['smtp'] }`). @default {} */
  requiresFeatures?: Partial<Record<Method, readonly string[]>> | undefined;
  /** Most devices one user may hold per method. @default 1 for every method */
  maxDevices?: Partial<Record<Method, number>> | undefined;
  /** Methods whose first linked device switches 2FA on by itself (a linked messenger account). @default [] */
  enableOnLink?: readonly Method[] | undefined;
  /** Push approval goes to every linked device at once instead of one the user picks. @default false */
  pushToAllDevices?: boolean | undefined;
  /** After this many voice calls for one login, the next code goes by SMS. `undefined`: never. */
  voiceFallbackToSmsAfter?: number | undefined;
}

/**
 * A rule that requires (or waives) 2FA for users holding one of some roles.
 *
 * @example
 * ```ts
 * import { createPolicy } from '@secondfactor/policy';
 *
 * createPolicy({
 *   methods: { allowed: ['totp', 'sms'] },
 *   requirement: {
 *     roles: [{ roles: ['admin'], require: true, graceSeconds: 86_400, forbiddenMethods: ['sms'] }],
 *   },
 * });
 * ```
 */
export interface RoleRule {
  /** The rule applies when the subject holds any of these roles. */
  roles: readonly string[];
  /** `true` requires 2FA, `false` waives it for lower-ranked rules. */
  require: boolean;
  /** Time a newly required user may still log in without enrolling. @default 0 */
  graceSeconds?: number | undefined;
  /**
   * Whether a higher-ranked opinion (the per-user switch, an earlier role rule) may lift this requirement.
   * @default false
   */
  waivable?: boolean | undefined;
  /** Methods users with these roles may neither enroll nor use (checklist K2). @default [] */
  forbiddenMethods?: readonly Method[] | undefined;
}

/**
 * A rule that requires (or waives) 2FA for every user of a tenant with a feature flag.
 *
 * @example
 * ```ts
 * import { createPolicy } from '@secondfactor/policy';
 *
 * createPolicy({
 *   methods: { allowed: ['totp'] },
 *   requirement: { features: [{ feature: 'enforce_2fa', require: true, graceSeconds: 604_800 }] },
 * });
 * ```
 */
export interface FeatureRule {
  /** The tenant feature flag. */
  feature: string;
  /** `true` requires 2FA, `false` waives it for the default rule. */
  require: boolean;
  /** @default 0 */
  graceSeconds?: number | undefined;
  /** @default false */
  waivable?: boolean | undefined;
}

/**
 * When 2FA is required. Opinions rank: per-user switch → role rules → tenant features → default.
 *
 * @example
 * ```ts
 * import { createPolicy } from '@secondfactor/policy';
 *
 * // Everyone after a week's grace, except users with the `service` role.
 * createPolicy({
 *   methods: { allowed: ['totp'] },
 *   requirement: { default: true, defaultGraceSeconds: 604_800, roles: [{ roles: ['service'], require: false }] },
 * });
 * ```
 */
export interface RequirementConfig {
  /** Whether every user must use 2FA when no other rule has an opinion. @default false */
  default?: boolean | undefined;
  /** Grace of the default rule. @default 0 */
  defaultGraceSeconds?: number | undefined;
  /** Whether the per-user switch may lift the default requirement. @default false */
  defaultWaivable?: boolean | undefined;
  /** Grace when the per-user switch requires 2FA. @default 0 */
  userGraceSeconds?: number | undefined;
  /** Role rules, first match ranks highest. @default [] */
  roles?: readonly RoleRule[] | undefined;
  /** Tenant feature rules, first match ranks highest. @default [] */
  features?: readonly FeatureRule[] | undefined;
}

/**
 * What administrators may do to other users' 2FA. Every power is off unless turned on.
 *
 * @example
 * ```ts
 * import { createPolicy } from '@secondfactor/policy';
 *
 * createPolicy({
 *   methods: { allowed: ['totp'] },
 *   admin: { roles: ['admin'], reset: true, viewStatus: true },
 * });
 * ```
 */
export interface AdminConfig {
  /** Roles that make an actor an administrator of users in the same tenant. @default ['admin'] */
  roles?: readonly string[] | undefined;
  /** Roles that act across tenants (vendor support). They may reset and view; nothing else. @default [] */
  supportRoles?: readonly string[] | undefined;
  /** Set "Use 2FA: yes" for a user. @default false */
  require?: boolean | undefined;
  /** Set "Can toggle 2FA" for a user. @default false */
  setMayToggle?: boolean | undefined;
  /** Turn 2FA off for a user ("Use 2FA: no", "Disable two-factor authentication"). @default false */
  disableFor?: boolean | undefined;
  /** Reset a user's 2FA so he sets it up again at the next login. @default false */
  reset?: boolean | undefined;
  /** Turn the tenant's 2FA methods on or off and set their delivery (a partner's SMTP server). @default false */
  configureTenant?: boolean | undefined;
  /** See whether a user has 2FA. @default false */
  viewStatus?: boolean | undefined;
  /** Administrators may always toggle their own 2FA, whatever "Can toggle" says. @default false */
  alwaysMayToggle?: boolean | undefined;
}

/**
 * What users may do to their own 2FA.
 *
 * @example
 * ```ts
 * import { createPolicy } from '@secondfactor/policy';
 *
 * createPolicy({ methods: { allowed: ['totp'] }, self: { toggle: true, resetOwn: true } });
 * ```
 */
export interface SelfConfig {
  /** Users may switch their own 2FA on and off (when their "Can toggle 2FA" permission allows). @default false */
  toggle?: boolean | undefined;
  /** "Can toggle 2FA" of a user whose setting is unset. @default true */
  defaultMayToggle?: boolean | undefined;
  /** The first-login set-up screen offers "Disable 2FA" to users who may toggle. @default false */
  skipSetup?: boolean | undefined;
  /** A user who passed his second factor may reset it himself (to move to a new phone). @default false */
  resetOwn?: boolean | undefined;
  /** A phone number already verified by another person of the same tenant needs no new check. @default false */
  trustPhoneVerifiedInTenant?: boolean | undefined;
}

/**
 * Failed-attempt limits (NIST SP 800-63B §5.2.2; checklist E1). Same shape as the store's failure limits,
 * in seconds; `Policy.failureLimits()` converts.
 *
 * @example
 * ```ts
 * import { createPolicy } from '@secondfactor/policy';
 *
 * const policy = createPolicy({
 *   methods: { allowed: ['totp'] },
 *   attempts: { maxFailures: 5, lockoutSeconds: 60, backoffFactor: 2, maxLockoutSeconds: 3600 },
 * });
 * policy.failureLimits().lockoutMs; // 60000
 * ```
 */
export interface AttemptsConfig {
  /** Failures within `windowSeconds` that lock the user. At most 100. @default 5 */
  maxFailures?: number | undefined;
  /** Failures older than this no longer count. @default 900 */
  windowSeconds?: number | undefined;
  /** Length of the first lockout. @default 900 */
  lockoutSeconds?: number | undefined;
  /** Each further lockout lasts this many times longer (1: fixed lockout, 2: doubling back-off). @default 1 */
  backoffFactor?: number | undefined;
  /** Longest lockout. @default 86400 */
  maxLockoutSeconds?: number | undefined;
}

/**
 * Authenticator-app parameters (RFC 6238 / RFC 4226).
 *
 * @example
 * ```ts
 * import { createPolicy } from '@secondfactor/policy';
 *
 * const policy = createPolicy({ methods: { allowed: ['totp'] }, otp: { digits: 8, window: { past: 1, future: 0 } } });
 * policy.codeFormat('totp'); // { digits: 8, ttlSeconds: 30, maxAttempts: 5 }
 * ```
 */
export interface OtpConfig {
  /** @default 6 */
  digits?: number | undefined;
  /** TOTP time step. @default 30 */
  periodSeconds?: number | undefined;
  /** TOTP steps accepted before and after the current one. At most 10 each way. @default { past: 1, future: 1 } */
  window?: { past: number; future: number } | undefined;
  /** HOTP look-ahead. At most 10. @default 2 (core's `DEFAULT_LOOK_AHEAD`) */
  hotpLookAhead?: number | undefined;
  /** Length of generated secrets. 16 to 128. @default 20 */
  secretBytes?: number | undefined;
}

/**
 * One-time codes sent by e-mail, SMS or voice, and push approvals.
 *
 * @example
 * ```ts
 * import { createPolicy } from '@secondfactor/policy';
 *
 * const policy = createPolicy({
 *   methods: { allowed: ['totp', 'email'] },
 *   deliveredCodes: { digits: 8, ttlSeconds: { email: 600 } },
 * });
 * policy.codeFormat('email'); // { digits: 8, ttlSeconds: 600, maxAttempts: 5 }
 * ```
 */
export interface DeliveredCodesConfig {
  /** Digits of every delivered code, unless `digitsByMethod` says otherwise for a method. @default 6 */
  digits?: number | undefined;
  /**
   * Digits per method. A voice call whose calling number carries the code may have 4 (checklist G1): only
   * at compliance `none`, and only while that method's brute-force bound stays within `maxGuessProbability`.
   * @default {}
   */
  digitsByMethod?: Partial<Record<Method, number>> | undefined;
  /**
   * Wrong codes one challenge accepts before it locks, per method (1 to 100). @default `attempts.maxFailures`
   */
  maxAttempts?: Partial<Record<Method, number>> | undefined;
  /** Life of a code or push request, per method. At most 600. @default 300 for each */
  ttlSeconds?: Partial<Record<Method, number>> | undefined;
}

/**
 * Backup codes handed out on enable.
 *
 * @example
 * ```ts
 * import { createPolicy } from '@secondfactor/policy';
 *
 * const policy = createPolicy({
 *   methods: { allowed: ['totp', 'backup_code'] },
 *   backupCodes: { issue: true, count: 12 },
 * });
 * policy.lifecycle().backupCodeCount; // 12
 * ```
 */
export interface BackupCodesConfig {
  /** Issue a set when 2FA is enabled. @default false */
  issue?: boolean | undefined;
  /** The user must confirm he saved them before enable completes. @default true */
  acknowledgementRequired?: boolean | undefined;
  /** Codes per set. @default 10 */
  count?: number | undefined;
}

/**
 * What happens to the user's other sessions (checklist I5).
 *
 * @example
 * ```ts
 * import { createPolicy } from '@secondfactor/policy';
 *
 * const policy = createPolicy({
 *   methods: { allowed: ['totp'] },
 *   sessions: { revokeOthersOnEnable: true, rememberDeviceDays: 30 },
 * });
 * policy.lifecycle().revokeOtherSessionsOnEnable; // true
 * policy.settings.sessions.rememberDeviceDays; // 30
 * ```
 */
export interface SessionsConfig {
  /** Enabling 2FA signs out every other session. @default false */
  revokeOthersOnEnable?: boolean | undefined;
  /** Disabling or resetting 2FA signs out every other session. @default true */
  revokeOthersOnDisable?: boolean | undefined;
  /**
   * "Remember this browser": days a browser that passed the second factor may skip it at later logins,
   * 1 to 400; `0` offers no such option. @default 0
   */
  rememberDeviceDays?: number | undefined;
}

/**
 * How recent a proof of presence must be.
 *
 * @example
 * ```ts
 * import { createPolicy } from '@secondfactor/policy';
 *
 * const policy = createPolicy({
 *   methods: { allowed: ['totp'] },
 *   freshAuth: { maxAgeSeconds: 600, proof: { reset: 'password_and_second_factor' } },
 * });
 * policy.freshAuthRequired('reset'); // { action: 'reset', proof: 'password_and_second_factor', maxAgeSeconds: 600 }
 * ```
 */
export interface FreshAuthConfig {
  /** @default 300 */
  maxAgeSeconds?: number | undefined;
  /** Overrides of {@link DEFAULT_FRESH_PROOF} per action. @default {} */
  proof?: Partial<Record<PolicyAction, FreshProof>> | undefined;
  /**
   * Actions whose second-factor proof must come from a primary method: a backup code or a fallback-only
   * method (a voice call) does not count there. @default ['regenerate_backup_codes']
   */
  primaryFactorFor?: readonly PolicyAction[] | undefined;
}

/**
 * A complete policy. Only `methods.allowed` is required.
 *
 * @example
 * ```ts
 * import { validatePolicy, type PolicyConfig } from '@secondfactor/policy';
 *
 * const config: PolicyConfig = {
 *   methods: { allowed: ['totp', 'backup_code'] },
 *   requirement: { roles: [{ roles: ['admin'], require: true, graceSeconds: 86_400 }] },
 *   self: { toggle: true },
 *   backupCodes: { issue: true },
 * };
 * validatePolicy(config); // []
 * ```
 */
export interface PolicyConfig {
  /** A name for logs and audit records. */
  name?: string | undefined;
  /**
   * `multi`: users belong to tenants (accounts, organisations); every actor and subject carries a
   * `tenantId` and administrators act inside their own tenant. `single`: one tenant, no `tenantId` anywhere.
   * @default 'multi'
   */
  tenancy?: 'single' | 'multi' | undefined;
  /** Tenant feature without which 2FA does not exist for a tenant. `undefined`: always available. */
  availableWithFeature?: string | undefined;
  /**
   * `l2`: SMS and voice are restricted and e-mail is not a second factor (NIST SP 800-63B §5.1.3.1, §5.1.3.3);
   * `l3`: SMS, voice and e-mail are refused outright. @default 'none'
   */
  compliance?: 'none' | 'l2' | 'l3' | undefined;
  methods: MethodsConfig;
  requirement?: RequirementConfig | undefined;
  admin?: AdminConfig | undefined;
  self?: SelfConfig | undefined;
  attempts?: AttemptsConfig | undefined;
  otp?: OtpConfig | undefined;
  deliveredCodes?: DeliveredCodesConfig | undefined;
  backupCodes?: BackupCodesConfig | undefined;
  sessions?: SessionsConfig | undefined;
  freshAuth?: FreshAuthConfig | undefined;
  /** Highest accepted brute-force success bound s·v/10^d (RFC 4226 §6; checklist E10). @default 0.001 */
  maxGuessProbability?: number | undefined;
}
