import { type Actor, createPolicy, type PolicyConfig, type Subject } from '@secondfactor/policy';
import { describe, expect, it } from 'vitest';
import { as, ctx, devices, expectFactRefused, NOW, passed, stale, user } from './helpers';

const everything: PolicyConfig = {
  methods: { allowed: ['totp'] },
  admin: {
    supportRoles: ['support'],
    require: true,
    setMayToggle: true,
    disableFor: true,
    reset: true,
    configureTenant: true,
    viewStatus: true,
    alwaysMayToggle: true,
  },
  requirement: { roles: [{ roles: ['finance'], require: true }] },
};
const policy = createPolicy(everything);
const nothing = createPolicy({ methods: { allowed: ['totp'] } });

const admin = user('admin-1', { roles: ['admin'], settings: { devices: devices('totp') } });
const otherAdmin = user('admin-2', { roles: ['admin'], settings: { devices: devices('totp') } });
const newAdmin = user('admin-3', { roles: ['admin'] });
const foreignAdmin = user('admin-9', { roles: ['admin'], tenantId: 'globex' });
const support = user('help-1', { roles: ['support'], tenantId: 'vendor' });
const member = user('u-1', { settings: { devices: devices('totp') } });
const colleague = user('u-2');
const accountant = user('u-3', { roles: ['finance'], settings: { devices: devices('totp') } });

type AdminQuestion = (actor: Actor, subject: Subject) => ReturnType<typeof policy.canReset>;

/** The five admin powers over another user, each as one question of `p`. */
const powers = (p: typeof policy): Array<[string, AdminQuestion]> => [
  ['"Use 2FA: yes" for another user', (a, s) => p.canSetUseTwoFactor(a, s, true, ctx())],
  ['canSetMayToggle', (a, s) => p.canSetMayToggle(a, s, ctx())],
  ['"Use 2FA: no" for another user', (a, s) => p.canSetUseTwoFactor(a, s, false, ctx())],
  ['canReset', (a, s) => p.canReset(a, s, ctx())],
  ['canViewTwoFactorStatus', (a, s) => p.canViewTwoFactorStatus(a, s, ctx())],
];

describe('admin powers stay inside the tenant', () => {
  it.each(powers(policy))('%s: an admin of another tenant is refused', (_name, question) => {
    expect(question(as(foreignAdmin), member)).toMatchObject({ allowed: false, reason: 'different_tenant' });
  });

  it.each(powers(policy))('%s: a user without an admin role is refused', (_name, question) => {
    expect(question(as(colleague), member)).toMatchObject({ allowed: false, reason: 'not_admin' });
  });

  it.each(powers(nothing))(
    '%s: a policy that grants no admin powers refuses even admins',
    (_name, question) => {
      expect(question(as(admin), member)).toMatchObject({ allowed: false, reason: 'action_not_offered' });
    },
  );

  it('an admin of the tenant may require, toggle, disable, reset and view', () => {
    for (const [, question] of powers(policy)) {
      expect(question(as(admin), member)).toEqual({ allowed: true, reason: 'tenant_admin' });
    }
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
    const lockedOut = as(otherAdmin, { secondFactor: null });
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

describe("an admin's fresh second factor", () => {
  const strict = createPolicy({
    ...everything,
    freshAuth: { proof: { reset: 'password_and_second_factor', configure_tenant: 'second_factor' } },
  });

  it('is asked for whenever the policy wants one: passing none is no better than passing an old one', () => {
    const refusal = {
      allowed: false,
      reason: 'fresh_auth_required',
      detail: { action: 'reset', proof: 'second_factor', maxAgeSeconds: 300 },
    };
    expect(strict.canReset(as(admin, { secondFactor: null }), member, ctx())).toEqual(refusal);
    expect(strict.canReset(as(admin, { secondFactor: passed(NOW - 3_600_000) }), member, ctx())).toEqual(
      refusal,
    );
    expect(strict.canReset(as(admin), member, ctx())).toEqual({ allowed: true, reason: 'tenant_admin' });
    expect(strict.canConfigureTenant(as(admin, { secondFactor: null }), 'acme', ctx()).reason).toBe(
      'fresh_auth_required',
    );
  });
});

describe('support roles may only reset and view', () => {
  it.each(powers(policy).filter(([name]) => !['canReset', 'canViewTwoFactorStatus'].includes(name)))(
    '%s is refused to support',
    (_name, question) => {
      expect(question(as(support), member)).toMatchObject({ allowed: false, reason: 'not_admin' });
    },
  );

  it('support may see whether a user has 2FA', () => {
    expect(policy.canViewTwoFactorStatus(as(support), member, ctx()).allowed).toBe(true);
  });
});

describe('"Use 2FA: no" by an admin, and "Can toggle 2FA"', () => {
  it('an admin cannot lift a non-waivable role requirement', () => {
    expect(policy.canSetUseTwoFactor(as(admin), accountant, false, ctx())).toEqual({
      allowed: false,
      reason: 'required_by_role',
    });
  });

  it('switching 2FA off for a user who has none and needs none is refused as not enabled', () => {
    expect(policy.canSetUseTwoFactor(as(admin), colleague, false, ctx())).toEqual({
      allowed: false,
      reason: 'not_enabled',
    });
  });

  it('an admin who switches his own 2FA off is answered by the owner rules (disable), not the admin power', () => {
    expect(policy.canSetUseTwoFactor(as(admin), admin, false, ctx())).toEqual({
      allowed: true,
      reason: 'owner',
    });
    expect(policy.canSetUseTwoFactor(stale(admin), admin, false, ctx())).toMatchObject({
      allowed: false,
      reason: 'fresh_auth_required',
      detail: { action: 'disable', proof: 'password_and_second_factor' },
    });
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

describe('"Use 2FA: yes" by an admin', () => {
  it('an admin switches 2FA on for himself by the owner rules (enable)', () => {
    expect(policy.canSetUseTwoFactor(as(newAdmin), newAdmin, true, ctx())).toEqual({
      allowed: true,
      reason: 'owner',
    });
    expect(policy.canSetUseTwoFactor(as(admin), admin, true, ctx())).toEqual({
      allowed: false,
      reason: 'already_enabled',
    });
  });

  it('is refused where 2FA does not exist for the tenant', () => {
    const gated = createPolicy({ ...everything, availableWithFeature: 'premium' });
    expect(gated.canSetUseTwoFactor(as(admin), member, true, ctx([]))).toEqual({
      allowed: false,
      reason: 'feature_unavailable',
    });
    expect(gated.canSetUseTwoFactor(as(admin), member, true, ctx(['premium'])).allowed).toBe(true);
  });

  it('a password proof older than the policy allows is stale; one at the limit is recent', () => {
    const past = as(admin, { reauthenticatedAt: NOW - 301_000 });
    const atLimit = as(admin, { reauthenticatedAt: NOW - 300_000 });
    expect(policy.canSetUseTwoFactor(past, member, true, ctx()).reason).toBe('fresh_auth_required');
    expect(policy.canSetUseTwoFactor(atLimit, member, true, ctx()).allowed).toBe(true);
  });

  it('a password proof from after ctx.now is not trusted: it is refused as a malformed fact', () => {
    const future = as(admin, { reauthenticatedAt: NOW + 1 });
    expectFactRefused(
      () => policy.canSetUseTwoFactor(future, member, true, ctx()),
      'actor.reauthenticatedAt',
    );
  });

  it('the switch value must be a boolean, never a truthy string', () => {
    const forged = 'false' as unknown as boolean;
    expectFactRefused(() => policy.canSetUseTwoFactor(as(admin), member, forged, ctx()), 'value');
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

describe("canConfigureTenant (the tenant's 2FA settings: methods on or off, the SMTP server)", () => {
  it('an admin of the tenant may, with a recent password', () => {
    expect(policy.canConfigureTenant(as(admin), 'acme', ctx())).toEqual({
      allowed: true,
      reason: 'tenant_admin',
    });
  });

  it("an admin of another tenant may not change this tenant's settings", () => {
    expect(policy.canConfigureTenant(as(foreignAdmin), 'acme', ctx())).toEqual({
      allowed: false,
      reason: 'different_tenant',
      detail: { action: 'configure_tenant' },
    });
  });

  it('a user without an admin role may not, nor may support', () => {
    for (const actor of [as(colleague), as(support)]) {
      expect(policy.canConfigureTenant(actor, 'acme', ctx())).toMatchObject({
        allowed: false,
        reason: 'not_admin',
      });
    }
  });

  it('a policy without the power refuses even the tenant admin', () => {
    expect(nothing.canConfigureTenant(as(admin), 'acme', ctx())).toEqual({
      allowed: false,
      reason: 'action_not_offered',
      detail: { action: 'configure_tenant' },
    });
  });

  it('a stale password asks for a fresh one (default proof: password)', () => {
    expect(policy.freshAuthRequired('configure_tenant').proof).toBe('password');
    expect(policy.canConfigureTenant(stale(admin), 'acme', ctx())).toEqual({
      allowed: false,
      reason: 'fresh_auth_required',
      detail: { action: 'configure_tenant', proof: 'password', maxAgeSeconds: 300 },
    });
  });

  it('a multi-tenant policy refuses a missing tenant id instead of matching it to an actor without one', () => {
    expectFactRefused(() => policy.canConfigureTenant(as(admin), undefined, ctx()), 'tenantId');
  });
});
