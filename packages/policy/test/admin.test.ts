import { createPolicy, type PolicyConfig } from '@secondfactor/policy';
import { describe, expect, it } from 'vitest';
import { as, ctx, devices, NOW, stale, user } from './helpers';

const everything: PolicyConfig = {
  methods: { allowed: ['totp'] },
  admin: {
    supportRoles: ['support'],
    require: true,
    setMayToggle: true,
    disableFor: true,
    reset: true,
    viewStatus: true,
    alwaysMayToggle: true,
  },
  requirement: { roles: [{ roles: ['finance'], require: true }] },
};
const policy = createPolicy(everything);
const nothing = createPolicy({ methods: { allowed: ['totp'] } });

const admin = user('admin-1', { roles: ['admin'], settings: { devices: devices('totp') } });
const otherAdmin = user('admin-2', { roles: ['admin'], settings: { devices: devices('totp') } });
const foreignAdmin = user('admin-9', { roles: ['admin'], tenantId: 'globex' });
const support = user('help-1', { roles: ['support'], tenantId: 'vendor' });
const member = user('u-1', { settings: { devices: devices('totp') } });
const colleague = user('u-2');
const accountant = user('u-3', { roles: ['finance'], settings: { devices: devices('totp') } });

describe('admin powers stay inside the tenant', () => {
  it.each([
    ['canRequire', policy.canRequire],
    ['canSetMayToggle', policy.canSetMayToggle],
    ['canDisableFor', policy.canDisableFor],
    ['canReset', policy.canReset],
    ['canViewTwoFactorStatus', policy.canViewTwoFactorStatus],
  ] as const)('%s: an admin of another tenant is refused', (_name, question) => {
    expect(question(as(foreignAdmin), member, ctx())).toMatchObject({
      allowed: false,
      reason: 'different_tenant',
    });
  });

  it.each([
    ['canRequire', policy.canRequire],
    ['canSetMayToggle', policy.canSetMayToggle],
    ['canDisableFor', policy.canDisableFor],
    ['canReset', policy.canReset],
    ['canViewTwoFactorStatus', policy.canViewTwoFactorStatus],
  ] as const)('%s: a user without an admin role is refused', (_name, question) => {
    expect(question(as(colleague), member, ctx())).toMatchObject({ allowed: false, reason: 'not_admin' });
  });

  it.each([
    ['canRequire', nothing.canRequire],
    ['canSetMayToggle', nothing.canSetMayToggle],
    ['canDisableFor', nothing.canDisableFor],
    ['canReset', nothing.canReset],
    ['canViewTwoFactorStatus', nothing.canViewTwoFactorStatus],
  ] as const)('%s: a policy that grants no admin powers refuses even admins', (_name, question) => {
    expect(question(as(admin), member, ctx())).toMatchObject({
      allowed: false,
      reason: 'action_not_offered',
    });
  });

  it('an admin of the tenant may require, toggle, disable, reset and view', () => {
    for (const question of [
      policy.canRequire,
      policy.canSetMayToggle,
      policy.canDisableFor,
      policy.canReset,
    ]) {
      expect(question(as(admin), member, ctx())).toEqual({ allowed: true, reason: 'tenant_admin' });
    }
    expect(policy.canViewTwoFactorStatus(as(admin), member, ctx())).toEqual({
      allowed: true,
      reason: 'tenant_admin',
    });
  });
});

describe('canReset', () => {
  it('an admin never resets his own 2FA, in any configuration', () => {
    expect(policy.canReset(as(admin), admin, ctx())).toEqual({
      allowed: false,
      reason: 'self_reset_forbidden',
    });
  });

  it('another admin of the same tenant resets a locked-out admin', () => {
    const lockedOut = as(otherAdmin, { secondFactorAt: undefined });
    expect(policy.canReset(lockedOut, admin, ctx()).allowed).toBe(true);
  });

  it('a support role resets across tenants', () => {
    expect(policy.canReset(as(support), admin, ctx())).toEqual({
      allowed: true,
      reason: 'support_role',
    });
  });

  it('nothing to reset for a user who never enrolled', () => {
    expect(policy.canReset(as(admin), colleague, ctx())).toMatchObject({
      allowed: false,
      reason: 'not_enrolled',
    });
  });

  it('E9: the admin must have re-entered his password recently', () => {
    expect(policy.canReset(stale(admin), member, ctx())).toEqual({
      allowed: false,
      reason: 'fresh_auth_required',
      detail: { action: 'reset', proof: 'password', maxAgeSeconds: 300 },
    });
  });
});

describe('support roles may only reset and view', () => {
  it.each([
    ['canRequire', policy.canRequire],
    ['canSetMayToggle', policy.canSetMayToggle],
    ['canDisableFor', policy.canDisableFor],
  ] as const)('%s is refused to support', (_name, question) => {
    expect(question(as(support), member, ctx())).toMatchObject({ allowed: false, reason: 'not_admin' });
  });

  it('support may see whether a user has 2FA', () => {
    expect(policy.canViewTwoFactorStatus(as(support), member, ctx()).allowed).toBe(true);
  });
});

describe('canDisableFor and canSetMayToggle', () => {
  it('an admin cannot lift a non-waivable role requirement', () => {
    expect(policy.canDisableFor(as(admin), accountant, ctx())).toEqual({
      allowed: false,
      reason: 'required_by_role',
    });
  });

  it('an admin turns his own 2FA off through canDisable, not the admin power', () => {
    expect(policy.canDisableFor(as(admin), admin, ctx())).toEqual({ allowed: false, reason: 'self_target' });
  });

  it('an admin cannot grant himself "Can toggle"', () => {
    expect(policy.canSetMayToggle(as(admin), admin, ctx())).toEqual({
      allowed: false,
      reason: 'self_target',
    });
  });

  it('"Can toggle" means nothing for an admin who always may toggle', () => {
    expect(policy.canSetMayToggle(as(admin), otherAdmin, ctx())).toEqual({
      allowed: false,
      reason: 'subject_is_admin',
    });
  });
});

describe('canRequire', () => {
  it('an admin may require 2FA for himself: it only adds protection', () => {
    expect(policy.canRequire(as(admin), admin, ctx()).allowed).toBe(true);
  });

  it('is refused where 2FA does not exist for the tenant', () => {
    const gated = createPolicy({ ...everything, availableWithFeature: 'premium' });
    expect(gated.canRequire(as(admin), member, ctx())).toEqual({
      allowed: false,
      reason: 'feature_unavailable',
    });
    expect(gated.canRequire(as(admin), member, ctx(['premium'])).allowed).toBe(true);
  });

  it('a proof older than the policy allows is stale; one from the future is not trusted', () => {
    const past = as(admin, { reauthenticatedAt: NOW - 301_000 });
    const future = as(admin, { reauthenticatedAt: NOW + 1 });
    expect(policy.canRequire(past, member, ctx()).reason).toBe('fresh_auth_required');
    expect(policy.canRequire(future, member, ctx()).reason).toBe('fresh_auth_required');
    expect(policy.canRequire(as(admin, { reauthenticatedAt: NOW - 300_000 }), member, ctx()).allowed).toBe(
      true,
    );
  });
});

describe('canViewTwoFactorStatus', () => {
  it('a user always sees his own status', () => {
    expect(nothing.canViewTwoFactorStatus(as(colleague), colleague, ctx())).toEqual({
      allowed: true,
      reason: 'owner',
    });
  });

  it("a user never sees a colleague's status", () => {
    expect(policy.canViewTwoFactorStatus(as(colleague), member, ctx()).allowed).toBe(false);
  });
});
