/**
 * @module
 * The facts a question needs, checked before it is answered. A missing, unknown or mistyped fact is a
 * `SecondFactorError('invalid_argument')` naming it, never a weaker answer: an engine that read a
 * forgotten field as "no" would let a user in with the password alone.
 */

import { isMethod, type Method, SecondFactorError } from '@secondfactor/core';
import { DEFAULT_FRESH_PROOF, type PolicyAction } from './actions';
import type { Actor, EnrollmentState, PolicyContext, Subject } from './inputs';
import type { PolicySettings } from './settings';

const ENROLLMENT_STATES: readonly EnrollmentState[] = ['none', 'pending', 'active', 'reset'];
const SETTINGS_FIELDS = new Set([
  'useTwoFactor',
  'mayToggle',
  'enrollment',
  'devices',
  'backupCodesRemaining',
  'graceStartedAt',
]);
const DEVICE_FIELDS = new Set(['method', 'id']);
const CONTEXT_FIELDS = new Set(['now', 'tenantFeatures']);
const PROOF_FIELDS = new Set(['at', 'method']);

const invalid = (name: string, message: string): SecondFactorError =>
  new SecondFactorError('invalid_argument', `${name} ${message}`);

const fail = (name: string, message: string): never => {
  throw invalid(name, message);
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isName = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

function onlyFields(name: string, value: Record<string, unknown>, allowed: ReadonlySet<string>): void {
  for (const key of Object.keys(value)) {
    if (!allowed.has(key)) fail(`${name}.${key}`, 'is not a field of this object');
  }
}

/** A time in milliseconds since the epoch, and not after `now` when given. */
function checkTime(name: string, value: unknown, now?: number): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    fail(name, 'must be a time in milliseconds since the epoch (a whole number ≥ 0)');
  }
  if (now !== undefined && (value as number) > now) fail(name, 'must not be after ctx.now');
}

/** @internal Checks a tenant id: required in a multi-tenant policy, absent in a single-tenant one. */
export function checkTenant(settings: PolicySettings, name: string, value: unknown): void {
  if (settings.tenancy === 'single') {
    if (value !== undefined) fail(name, "must be absent in a single-tenant policy (tenancy: 'single')");
  } else if (!isName(value)) {
    fail(name, "is required in a multi-tenant policy (tenancy: 'multi'), as a non-empty string");
  }
}

function checkPerson(settings: PolicySettings, name: string, person: unknown): void {
  if (!isObject(person)) throw invalid(name, 'must be an object');
  if (!isName(person.id)) fail(`${name}.id`, 'must be a non-empty string');
  const roles = person.roles;
  if (!Array.isArray(roles) || !roles.every((role) => typeof role === 'string')) {
    fail(`${name}.roles`, 'must be a list of role names ([] for none)');
  }
  checkTenant(settings, `${name}.tenantId`, person.tenantId);
}

/** @internal Checks the context every question receives. */
export function checkContext(settings: PolicySettings, ctx: unknown): asserts ctx is PolicyContext {
  if (!isObject(ctx)) throw invalid('ctx', 'must be an object');
  onlyFields('ctx', ctx, CONTEXT_FIELDS);
  checkTime('ctx.now', ctx.now);
  const features = ctx.tenantFeatures;
  if (features === undefined) {
    if (settings.usesFeatures) {
      fail('ctx.tenantFeatures', "is required: the policy's rules name tenant features ([] for none)");
    }
  } else if (!Array.isArray(features) || !features.every(isName)) {
    fail('ctx.tenantFeatures', 'must be a list of feature names');
  }
}

/** @internal Checks the actor of a question; `ctx` was checked first. */
export function checkActor(
  settings: PolicySettings,
  actor: unknown,
  ctx: PolicyContext,
): asserts actor is Actor {
  checkPerson(settings, 'actor', actor);
  const { reauthenticatedAt, secondFactor } = actor as Record<string, unknown>;
  if (reauthenticatedAt === undefined) {
    fail('actor.reauthenticatedAt', 'is required: null when the password was not re-entered in this session');
  } else if (reauthenticatedAt !== null) {
    checkTime('actor.reauthenticatedAt', reauthenticatedAt, ctx.now);
  }
  if (secondFactor === undefined) {
    fail('actor.secondFactor', 'is required: null when no second factor was passed in this session');
  } else if (secondFactor !== null) {
    if (!isObject(secondFactor)) throw invalid('actor.secondFactor', 'must be { at, method } or null');
    onlyFields('actor.secondFactor', secondFactor, PROOF_FIELDS);
    checkTime('actor.secondFactor.at', secondFactor.at, ctx.now);
    if (!isMethod(secondFactor.method)) fail('actor.secondFactor.method', 'must name a method');
  }
}

/** @internal Checks the subject of a question; `ctx` was checked first. */
export function checkSubject(
  settings: PolicySettings,
  subject: unknown,
  ctx: PolicyContext,
): asserts subject is Subject {
  checkPerson(settings, 'subject', subject);
  const own = (subject as Record<string, unknown>).settings;
  const name = 'subject.settings';
  if (!isObject(own)) throw invalid(name, 'must be an object');
  onlyFields(name, own, SETTINGS_FIELDS);
  if (!ENROLLMENT_STATES.includes(own.enrollment as EnrollmentState)) {
    fail(`${name}.enrollment`, "must be 'none', 'pending', 'active' or 'reset'");
  }
  const devices = own.devices;
  if (!Array.isArray(devices)) throw invalid(`${name}.devices`, 'must be a list ([] for none)');
  devices.forEach((device: unknown, i) => {
    const at = `${name}.devices.${i}`;
    if (!isObject(device)) throw invalid(at, 'must be an object');
    onlyFields(at, device, DEVICE_FIELDS);
    if (!isMethod(device.method) || device.method === 'backup_code') {
      fail(`${at}.method`, 'must name a method other than backup_code (backup codes: backupCodesRemaining)');
    }
    if (device.id !== undefined && !isName(device.id)) fail(`${at}.id`, 'must be a non-empty string');
  });
  // Required with an explicit null: each of these, forgotten, would read as a weaker rule.
  const use = own.useTwoFactor;
  if (use !== null && typeof use !== 'boolean') {
    fail(`${name}.useTwoFactor`, 'is required: true, false or null (follow the rules)');
  }
  if (own.mayToggle !== null && typeof own.mayToggle !== 'boolean') {
    fail(`${name}.mayToggle`, "is required: true, false or null (the policy's default)");
  }
  if (own.graceStartedAt === undefined) {
    fail(`${name}.graceStartedAt`, 'is required: the stored start of the grace period, or null (none yet)');
  } else if (own.graceStartedAt !== null) {
    checkTime(`${name}.graceStartedAt`, own.graceStartedAt, ctx.now);
  }
  const codes = own.backupCodesRemaining;
  if (codes === undefined) {
    if (settings.methods.allowed.includes('backup_code')) {
      fail(`${name}.backupCodesRemaining`, 'is required: the policy allows backup codes (0 without a set)');
    }
  } else if (typeof codes !== 'number' || !Number.isSafeInteger(codes) || codes < 0 || codes > 100) {
    fail(`${name}.backupCodesRemaining`, 'must be a whole number from 0 to 100');
  }
}

/** @internal Checks a method named by the host. */
export function checkMethod(name: string, method: unknown): asserts method is Method {
  if (!isMethod(method)) fail(name, 'must name a method');
}

/** @internal Checks a device the host names: its method, and its id when given. */
export function checkDeviceChoice(
  name: string,
  device: unknown,
): asserts device is { method: Method; id?: string } {
  if (!isObject(device)) throw invalid(name, 'must be { method, id? }');
  onlyFields(name, device, DEVICE_FIELDS);
  checkMethod(`${name}.method`, device.method);
  if (device.id !== undefined && !isName(device.id)) fail(`${name}.id`, 'must be a non-empty string');
}

/** @internal Checks a yes/no value named by the host. */
export function checkBoolean(name: string, value: unknown): asserts value is boolean {
  if (typeof value !== 'boolean') fail(name, 'must be a boolean');
}

/** @internal Checks what the host says about a phone number. */
export function checkPhoneFacts(settings: PolicySettings, phone: unknown): void {
  if (!isObject(phone)) throw invalid('phone', 'must be an object');
  onlyFields('phone', phone, new Set(['verifiedBy']));
  const by = phone.verifiedBy;
  if (by === null) return;
  if (!isObject(by))
    throw invalid('phone.verifiedBy', 'must be { userId, tenantId? } or null (nobody verified it)');
  onlyFields('phone.verifiedBy', by, new Set(['userId', 'tenantId']));
  if (!isName(by.userId)) fail('phone.verifiedBy.userId', 'must be a non-empty string');
  checkTenant(settings, 'phone.verifiedBy.tenantId', by.tenantId);
}

/** @internal Checks an action named by the host. */
export function checkAction(name: string, action: unknown): asserts action is PolicyAction {
  if (typeof action !== 'string' || !Object.hasOwn(DEFAULT_FRESH_PROOF, action))
    fail(name, 'must name an action');
}

/** @internal Checks a count named by the host (a whole number ≥ 0). */
export function checkCount(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    fail(name, 'must be a whole number ≥ 0');
  }
}
