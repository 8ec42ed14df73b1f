import { METHODS } from '@secondfactor/core';
import { createPolicy, type PolicyConfig } from '@secondfactor/policy';
import { describe, expect, it } from 'vitest';
import { as, ctx, devices, NOW, user } from './helpers';

/** Every power a policy can hand out, switched on: enrollment must still be owner-only. */
const permissive: PolicyConfig = {
  methods: {
    allowed: ['totp', 'hotp', 'email', 'sms', 'voice', 'push', 'backup_code'],
    maxDevices: { totp: 10, hotp: 10, email: 10, sms: 10, voice: 10, push: 10 },
  },
  admin: {
    roles: ['admin', 'owner', 'root'],
    supportRoles: ['support'],
    require: true,
    setMayToggle: true,
    disableFor: true,
    reset: true,
    viewStatus: true,
    alwaysMayToggle: true,
  },
  self: { toggle: true, skipSetup: true, resetOwn: true, trustPhoneVerifiedInTenant: true },
  requirement: { default: true },
  freshAuth: { proof: { enroll: 'none', add_method: 'none', remove_method: 'none' } },
};

describe('H3: only the owner enrolls, adds or removes a device', () => {
  const policy = createPolicy(permissive);
  const target = user('victim', { settings: { devices: devices('totp') } });
  const fresh = user('victim-2');
  const actors = [
    as(user('admin', { roles: ['admin', 'owner', 'root'] })),
    as(user('help', { roles: ['support'], tenantId: 'vendor' })),
    as(user('peer')),
    as(user('victim', { tenantId: 'globex' })),
  ];
  const enrollable = METHODS.filter((m) => m !== 'backup_code');

  it.each(actors.map((a) => [a.id, a.tenantId, a] as const))(
    '%s (%s) never enrolls for another user',
    (_id, _t, actor) => {
      for (const method of enrollable) {
        for (const subject of [target, fresh]) {
          expect(policy.canEnroll(actor, subject, method, ctx())).toMatchObject({
            allowed: false,
            reason: 'not_owner',
          });
          expect(policy.canAddMethod(actor, subject, method, ctx())).toMatchObject({
            allowed: false,
            reason: 'not_owner',
          });
        }
        expect(policy.canRemoveMethod(actor, target, 'totp', ctx())).toMatchObject({
          allowed: false,
          reason: 'not_owner',
        });
      }
    },
  );

  it('the owner himself may', () => {
    expect(policy.canEnroll(as(fresh), fresh, 'totp', ctx())).toEqual({
      allowed: true,
      reason: 'owner',
      detail: { method: 'totp' },
    });
  });
});

describe('method rules', () => {
  it('backup codes and enrollment-free methods are never enrolled', () => {
    const policy = createPolicy({
      ...permissive,
      methods: { allowed: ['totp', 'email', 'backup_code'], withoutEnrollment: ['email'] },
    });
    const u = user('u');
    expect(policy.canEnroll(as(u), u, 'backup_code', ctx()).reason).toBe('method_not_enrollable');
    expect(policy.canEnroll(as(u), u, 'email', ctx()).reason).toBe('method_not_enrollable');
  });

  it('a fallback-only method cannot be the first one', () => {
    const policy = createPolicy({
      ...permissive,
      methods: { allowed: ['totp', 'voice'], fallbackOnly: ['voice'] },
    });
    const u = user('u');
    expect(policy.canEnroll(as(u), u, 'voice', ctx()).reason).toBe('method_fallback_only');
    const withApp = user('w', { settings: { devices: devices('totp') } });
    expect(policy.canEnroll(as(withApp), withApp, 'voice', ctx()).allowed).toBe(true);
  });

  it('a method that needs a tenant feature is refused without it', () => {
    const policy = createPolicy({
      ...permissive,
      methods: { allowed: ['totp', 'email'], requiresFeatures: { email: ['smtp'] } },
    });
    const u = user('u', { settings: { devices: devices('totp') } });
    expect(policy.canAddMethod(as(u), u, 'email', ctx()).reason).toBe('method_unavailable_for_tenant');
    expect(policy.canAddMethod(as(u), u, 'email', ctx(['smtp'])).allowed).toBe(true);
  });

  it('K2: a role rule forbidding SMS and e-mail blocks enrolling and using them for that role', () => {
    const policy = createPolicy({
      ...permissive,
      requirement: { roles: [{ roles: ['admin'], require: true, forbiddenMethods: ['sms', 'email'] }] },
    });
    const admin = user('a', { roles: ['admin'], settings: { devices: devices('totp', 'sms') } });
    const clerk = user('c', { settings: { devices: devices('totp', 'sms') } });
    for (const method of ['sms', 'email'] as const) {
      expect(policy.canAddMethod(as(admin), admin, method, ctx())).toMatchObject({
        reason: 'method_forbidden_for_role',
      });
      expect(policy.canUseMethod(admin, method, ctx())).toMatchObject({
        reason: 'method_forbidden_for_role',
      });
    }
    expect(policy.loginRequirement(admin, ctx()).methods).toEqual(['totp']);
    expect(policy.canUseMethod(clerk, 'sms', ctx()).allowed).toBe(true);
  });
});

describe('exclusive and multi mode', () => {
  const exclusive = createPolicy({ methods: { allowed: ['sms', 'totp', 'backup_code'], mode: 'exclusive' } });
  const multi = createPolicy({ methods: { allowed: ['sms', 'totp'], maxDevices: { totp: 2 } } });
  const smsUser = user('s', { settings: { devices: devices('sms', 'backup_code') } });

  it('exclusive: a second method is refused while one is active, naming the active one', () => {
    expect(exclusive.canAddMethod(as(smsUser), smsUser, 'totp', ctx())).toEqual({
      allowed: false,
      reason: 'exclusive_method_active',
      detail: { method: 'totp', activeMethods: ['sms'] },
    });
  });

  it('exclusive: backup codes do not count as a method', () => {
    const appUser = user('a', { settings: { devices: devices('totp', 'backup_code') } });
    expect(exclusive.canAddMethod(as(appUser), appUser, 'sms', ctx()).reason).toBe('exclusive_method_active');
    expect(exclusive.loginRequirement(appUser, ctx()).methods).toEqual(['totp']);
  });

  it('multi: methods sit side by side up to the device limit of each', () => {
    const u = user('m', { settings: { devices: devices('sms', 'totp') } });
    expect(multi.canAddMethod(as(u), u, 'totp', ctx()).allowed).toBe(true);
    const full = user('f', { settings: { devices: devices('sms', 'totp', 'totp') } });
    expect(multi.canAddMethod(as(full), full, 'totp', ctx())).toEqual({
      allowed: false,
      reason: 'device_limit_reached',
      detail: { method: 'totp', limit: 2 },
    });
    expect(multi.canAddMethod(as(full), full, 'sms', ctx()).reason).toBe('device_limit_reached');
  });

  it('H4: adding a factor beside an active one needs a current second factor', () => {
    const u = user('m', { settings: { devices: devices('sms') } });
    expect(multi.canAddMethod(as(u, { secondFactorAt: undefined }), u, 'totp', ctx())).toMatchObject({
      reason: 'fresh_auth_required',
      detail: { action: 'add_method', proof: 'second_factor' },
    });
  });

  it('canEnroll on an active user is canAddMethod', () => {
    expect(exclusive.canEnroll(as(smsUser), smsUser, 'totp', ctx()).reason).toBe('exclusive_method_active');
  });

  it('a user whose set-up is neither due nor his choice to make cannot enroll', () => {
    const locked = user('l', { settings: { mayToggle: false } });
    const selfless = createPolicy({ methods: { allowed: ['totp'] }, self: { toggle: true } });
    expect(selfless.canEnroll(as(locked), locked, 'totp', ctx()).reason).toBe('toggle_not_permitted');
    const due = user('d', { settings: { requiredByAdmin: true, mayToggle: false } });
    expect(selfless.canEnroll(as(due), due, 'totp', ctx()).allowed).toBe(true);
  });
});

describe('canRemoveMethod', () => {
  const policy = createPolicy({
    methods: { allowed: ['totp', 'push', 'voice'], fallbackOnly: ['voice'], maxDevices: { totp: 3 } },
    self: { toggle: true },
  });

  it('removes one of several devices with a current second factor', () => {
    const u = user('u', { settings: { devices: devices('totp', 'push') } });
    expect(policy.canRemoveMethod(as(u), u, 'push', ctx())).toEqual({
      allowed: true,
      reason: 'owner',
      detail: { method: 'push' },
    });
    expect(policy.canRemoveMethod(as(u, { secondFactorAt: NOW - 3_600_000 }), u, 'push', ctx()).reason).toBe(
      'fresh_auth_required',
    );
  });

  it('a fallback may not outlive the last primary method', () => {
    const u = user('u', { settings: { devices: devices('totp', 'voice') } });
    expect(policy.canRemoveMethod(as(u), u, 'totp', ctx()).reason).toBe('fallback_would_be_alone');
    expect(policy.canRemoveMethod(as(u), u, 'voice', ctx()).allowed).toBe(true);
  });

  it('removing the last method is disabling 2FA and follows its rules', () => {
    const strict = createPolicy({ methods: { allowed: ['totp'] }, self: { toggle: false } });
    const u = user('u', { settings: { devices: devices('totp') } });
    expect(strict.canRemoveMethod(as(u), u, 'totp', ctx()).reason).toBe('action_not_offered');
    expect(policy.canRemoveMethod(as(u), u, 'totp', ctx())).toEqual({ allowed: true, reason: 'owner' });
  });

  it('a method the user does not hold cannot be removed', () => {
    const u = user('u', { settings: { devices: devices('totp') } });
    expect(policy.canRemoveMethod(as(u), u, 'push', ctx()).reason).toBe('method_not_enrolled');
  });
});

describe('canRegenerateBackupCodes', () => {
  const policy = createPolicy({
    methods: { allowed: ['totp', 'backup_code'] },
    backupCodes: { issue: true },
  });
  const u = user('u', { settings: { devices: devices('totp', 'backup_code') } });

  it('F6: needs a current second factor', () => {
    expect(policy.canRegenerateBackupCodes(as(u), u, ctx())).toEqual({ allowed: true, reason: 'owner' });
    expect(policy.canRegenerateBackupCodes(as(u, { secondFactorAt: undefined }), u, ctx())).toMatchObject({
      reason: 'fresh_auth_required',
      detail: { proof: 'second_factor' },
    });
  });

  it('only the owner, only with 2FA active, only where the policy issues codes', () => {
    const admin = user('a', { roles: ['admin'] });
    expect(policy.canRegenerateBackupCodes(as(admin), u, ctx()).reason).toBe('not_owner');
    const none = user('n');
    expect(policy.canRegenerateBackupCodes(as(none), none, ctx()).reason).toBe('not_enrolled');
    const noCodes = createPolicy({ methods: { allowed: ['totp'] } });
    expect(noCodes.canRegenerateBackupCodes(as(u), u, ctx()).reason).toBe('backup_codes_disabled');
  });
});

describe('canSkipPhoneVerification', () => {
  const trusting = createPolicy({
    methods: { allowed: ['sms', 'totp'] },
    self: { trustPhoneVerifiedInTenant: true },
  });
  const strict = createPolicy({ methods: { allowed: ['sms', 'totp'] } });
  const u = user('u');

  it('a number verified by another person of the same tenant needs no new check where the policy trusts it', () => {
    expect(trusting.canSkipPhoneVerification(as(u), u, { verifiedInTenantId: 'acme' })).toEqual({
      allowed: true,
      reason: 'phone_verified_in_tenant',
    });
  });

  it('a number verified in another tenant, or nowhere, is verified again', () => {
    expect(trusting.canSkipPhoneVerification(as(u), u, { verifiedInTenantId: 'globex' }).allowed).toBe(false);
    expect(trusting.canSkipPhoneVerification(as(u), u, {}).reason).toBe('phone_verification_required');
  });

  it('by default every number is verified', () => {
    expect(strict.canSkipPhoneVerification(as(u), u, { verifiedInTenantId: 'acme' }).allowed).toBe(false);
  });
});
