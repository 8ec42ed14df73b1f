export { DEFAULT_FRESH_PROOF, type FreshProof, type PolicyAction } from './actions';
export { bruteForceBound, type GuessBoundInput, type MethodGuessBound } from './bounds';
export type {
  AdminConfig,
  AttemptsConfig,
  BackupCodesConfig,
  DeliveredCodesConfig,
  FeatureRule,
  FreshAuthConfig,
  MethodsConfig,
  OtpConfig,
  PolicyConfig,
  RequirementConfig,
  RoleRule,
  SelfConfig,
  SessionsConfig,
} from './config';
export type { Decision, DecisionDetail, ReasonCode } from './decision';
export type { CodeFormat, LifecycleSettings } from './derived';
export {
  diffPolicy,
  type PolicyChange,
  type PolicyChangeRecord,
  policyChangeRecord,
  type TenantFeaturesChangeRecord,
  tenantFeaturesChangeRecord,
} from './diff';
export { createPolicy, type DeviceQuestion, type MethodQuestion, type Policy, type Question } from './engine';
export type { DeviceChoice } from './enroll';
export type { FreshAuthRequirement } from './fresh';
export type {
  Actor,
  EnrolledDevice,
  EnrollmentState,
  PolicyContext,
  SecondFactorProof,
  Subject,
  SubjectSettings,
} from './inputs';
export { POLICY_LIMITS, type PolicyLimits } from './limits';
export type { LoginRequirement } from './login';
export type { MethodInfo } from './method-rules';
export { accountAdmin } from './presets/accountAdmin';
export { exclusiveMethod } from './presets/exclusiveMethod';
export { multiMethod } from './presets/multiMethod';
export { partnerPortal } from './presets/partnerPortal';
export { selfService } from './presets/selfService';
export type { PhoneNumberFacts } from './recovery';
export type { PolicySettings, ResolvedFeatureRule, ResolvedRoleRule } from './settings';
export { assertValidPolicy, validatePolicy } from './validate';
export type { PolicyProblem, PolicyProblemCode } from './validate-types';
