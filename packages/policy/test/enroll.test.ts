import { METHODS } from '@secondfactor/core';
import { createPolicy, type PolicyConfig, selfService } from '@secondfactor/policy';
import { describe, expect, it } from 'vitest';
import { as, ctx, devices, expectFactRefused, holder, NOW, passed, soleUser, user } from './helpers';

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
  freshAuth: { proof: { enroll: 'none', add_method: 'none', remove_method: 'none', replace_device: 'none' } },
};

describe('H3: only the owner enrolls, adds, removes or replaces a device', () => {
  const policy = createPolicy(permissive);
  const target = holder('victim', { settings: { devices: devices('totp') } });
  const fresh = holder('victim-2');
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
      }
      expect(policy.canRemoveDevice(actor, target, { method: 'totp' }, ctx())).toMatchObject({
        allowed: false,
        reason: 'not_owner',
      });
      expect(policy.canReplaceDevice(actor, target, { method: 'totp' }, ctx())).toMatchObject({
        allowed: false,
        reason: 'not_owner',
      });
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
    const u = holder('u');
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
    expect(policy.canAddMethod(as(u), u, 'email', ctx([])).reason).toBe('method_unavailable_for_tenant');
    expect(policy.canAddMethod(as(u), u, 'email', ctx(['smtp'])).allowed).toBe(true);
  });

  it('K2: a role rule forbidding SMS and e-mail blocks enrolling and using them for that role', () => {
    const policy = createPolicy({
      ...permissive,
      requirement: { roles: [{ roles: ['admin'], require: true, forbiddenMethods: ['sms', 'email'] }] },
    });
    const admin = holder('a', { roles: ['admin'], settings: { devices: devices('totp', 'sms') } });
    const clerk = holder('c', { settings: { devices: devices('totp', 'sms') } });
    for (const method of ['sms', 'email'] as const) {
      expect(policy.canAddMethod(as(admin), admin, method, ctx())).toMatchObject({
        reason: 'method_forbidden_for_role',
      });
      expect(policy.canUseMethod(admin, { method }, ctx())).toMatchObject({
        reason: 'method_forbidden_for_role',
      });
    }
    expect(policy.loginRequirement(admin, ctx()).methods).toEqual(['totp']);
    expect(policy.canUseMethod(clerk, { method: 'sms' }, ctx()).allowed).toBe(true);
  });
});

describe('exclusive and multi mode', () => {
  const exclusive = createPolicy({ methods: { allowed: ['sms', 'totp', 'backup_code'], mode: 'exclusive' } });
  const multi = createPolicy({ methods: { allowed: ['sms', 'totp'], maxDevices: { totp: 2 } } });
  const smsUser = holder('s', { settings: { devices: devices('sms'), backupCodesRemaining: 10 } });

  it('exclusive: a second method is refused while one is active, naming the active one', () => {
    expect(exclusive.canAddMethod(as(smsUser), smsUser, 'totp', ctx())).toEqual({
      allowed: false,
      reason: 'exclusive_method_active',
      detail: { method: 'totp', activeMethods: ['sms'] },
    });
  });

  it('exclusive: backup codes do not count as a method', () => {
    const appUser = holder('a', { settings: { devices: devices('totp'), backupCodesRemaining: 10 } });
    expect(exclusive.canAddMethod(as(appUser), appUser, 'sms', ctx()).reason).toBe('exclusive_method_active');
    expect(exclusive.loginRequirement(appUser, ctx())).toMatchObject({
      methods: ['totp'],
      fallbackMethods: ['backup_code'],
    });
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
  });

  it('a method held already, with one device allowed, is refused as already enrolled (a new number is a replacement)', () => {
    const u = user('m', { settings: { devices: devices('sms', 'totp') } });
    expect(multi.canAddMethod(as(u), u, 'sms', ctx())).toEqual({
      allowed: false,
      reason: 'method_already_enrolled',
      detail: { method: 'sms', limit: 1 },
    });
    expect(multi.canEnroll(as(u), u, 'sms', ctx()).reason).toBe('method_already_enrolled');
    expect(multi.canReplaceDevice(as(u), u, { method: 'sms' }, ctx()).allowed).toBe(true);
  });

  it('H4: adding a factor beside an active one needs a current second factor', () => {
    const u = user('m', { settings: { devices: devices('sms') } });
    expect(multi.canAddMethod(as(u, { secondFactor: null }), u, 'totp', ctx())).toMatchObject({
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
    const due = user('d', { settings: { useTwoFactor: true, mayToggle: false } });
    expect(selfless.canEnroll(as(due), due, 'totp', ctx()).allowed).toBe(true);
  });
});

describe('canRemoveDevice', () => {
  const policy = createPolicy({
    methods: { allowed: ['totp', 'push', 'voice'], fallbackOnly: ['voice'], maxDevices: { totp: 3 } },
    self: { toggle: true },
  });

  it('removes one of several devices with a current second factor', () => {
    const u = user('u', { settings: { devices: devices('totp', 'push') } });
    expect(policy.canRemoveDevice(as(u), u, { method: 'push' }, ctx())).toEqual({
      allowed: true,
      reason: 'owner',
      detail: { method: 'push' },
    });
    const old = as(u, { secondFactor: passed(NOW - 3_600_000) });
    expect(policy.canRemoveDevice(old, u, { method: 'push' }, ctx()).reason).toBe('fresh_auth_required');
  });

  it('names one device of a method by its id', () => {
    const u = user('u', { settings: { devices: devices('totp', 'totp') } });
    expect(policy.canRemoveDevice(as(u), u, { method: 'totp', id: 'totp-1' }, ctx()).allowed).toBe(true);
  });

  it('a fallback may not outlive the last primary method', () => {
    const u = user('u', { settings: { devices: devices('totp', 'voice') } });
    expect(policy.canRemoveDevice(as(u), u, { method: 'totp' }, ctx()).reason).toBe(
      'fallback_would_be_alone',
    );
    expect(policy.canRemoveDevice(as(u), u, { method: 'voice' }, ctx()).allowed).toBe(true);
  });

  it('removing the last device is disabling 2FA and follows its rules', () => {
    const strict = createPolicy({ methods: { allowed: ['totp'] }, self: { toggle: false } });
    const u = user('u', { settings: { devices: devices('totp') } });
    expect(strict.canRemoveDevice(as(u), u, { method: 'totp' }, ctx()).reason).toBe('action_not_offered');
    expect(policy.canRemoveDevice(as(u), u, { method: 'totp' }, ctx())).toEqual({
      allowed: true,
      reason: 'owner',
    });
  });

  it('a method the user does not hold cannot be removed', () => {
    const u = user('u', { settings: { devices: devices('totp') } });
    expect(policy.canRemoveDevice(as(u), u, { method: 'push' }, ctx()).reason).toBe('method_not_enrolled');
  });

  it("a device id that is not one of the user's is not found", () => {
    const u = user('u', { settings: { devices: devices('totp', 'push') } });
    expect(policy.canRemoveDevice(as(u), u, { method: 'push', id: 'push-9' }, ctx())).toEqual({
      allowed: false,
      reason: 'device_not_found',
      detail: { method: 'push' },
    });
  });
});

describe('canReplaceDevice ("Change number")', () => {
  const policy = createPolicy({
    methods: { allowed: ['sms', 'totp'], mode: 'exclusive' },
    self: { toggle: true },
  });
  const u = user('u', { settings: { devices: devices('sms') } });

  it('G9: the owner replaces his number with a current second factor', () => {
    expect(policy.canReplaceDevice(as(u), u, { method: 'sms', id: 'sms-0' }, ctx())).toEqual({
      allowed: true,
      reason: 'owner',
      detail: { method: 'sms' },
    });
  });

  it('G9: a stale second factor is asked again, for the replace_device action', () => {
    const old = as(u, { secondFactor: passed(NOW - 3_600_000) });
    expect(policy.canReplaceDevice(old, u, { method: 'sms' }, ctx())).toEqual({
      allowed: false,
      reason: 'fresh_auth_required',
      detail: { action: 'replace_device', proof: 'second_factor', maxAgeSeconds: 300 },
    });
  });

  it('only a device the user holds can be replaced', () => {
    expect(policy.canReplaceDevice(as(u), u, { method: 'totp' }, ctx()).reason).toBe('method_not_enrolled');
    expect(policy.canReplaceDevice(as(u), u, { method: 'sms', id: 'sms-7' }, ctx()).reason).toBe(
      'device_not_found',
    );
  });

  it('a method the policy no longer allows is not replaced by a new device of it', () => {
    const appOnly = createPolicy({ methods: { allowed: ['totp'] }, self: { toggle: true } });
    const stranded = user('s', { settings: { devices: devices('sms', 'totp') } });
    expect(appOnly.canReplaceDevice(as(stranded), stranded, { method: 'sms' }, ctx()).reason).toBe(
      'method_not_allowed',
    );
  });
});

describe('canRegenerateBackupCodes', () => {
  const policy = createPolicy({
    methods: { allowed: ['totp', 'backup_code'] },
    backupCodes: { issue: true },
  });
  const u = holder('u', { settings: { devices: devices('totp'), backupCodesRemaining: 10 } });

  it('F6: needs a current second factor', () => {
    expect(policy.canRegenerateBackupCodes(as(u), u, ctx())).toEqual({ allowed: true, reason: 'owner' });
    expect(policy.canRegenerateBackupCodes(as(u, { secondFactor: null }), u, ctx())).toMatchObject({
      reason: 'fresh_auth_required',
      detail: { proof: 'second_factor' },
    });
  });

  it('only the owner, only with 2FA active, only where the policy issues codes', () => {
    const admin = user('a', { roles: ['admin'] });
    expect(policy.canRegenerateBackupCodes(as(admin), u, ctx()).reason).toBe('not_owner');
    const none = holder('n');
    expect(policy.canRegenerateBackupCodes(as(none), none, ctx()).reason).toBe('not_enrolled');
    const noCodes = createPolicy({ methods: { allowed: ['totp'] } });
    expect(noCodes.canRegenerateBackupCodes(as(u), u, ctx()).reason).toBe('backup_codes_disabled');
  });

  it('F6: a backup code just used does not buy a new set; a fallback-only method does not either', () => {
    const withVoice = createPolicy({
      methods: { allowed: ['totp', 'voice', 'backup_code'], fallbackOnly: ['voice'] },
      backupCodes: { issue: true },
    });
    const v = holder('v', { settings: { devices: devices('totp', 'voice'), backupCodesRemaining: 3 } });
    for (const method of ['backup_code', 'voice'] as const) {
      expect(
        withVoice.canRegenerateBackupCodes(as(v, { secondFactor: passed(NOW, method) }), v, ctx()),
      ).toEqual({
        allowed: false,
        reason: 'fresh_auth_required',
        detail: {
          action: 'regenerate_backup_codes',
          proof: 'second_factor',
          maxAgeSeconds: 300,
          primaryFactor: true,
        },
      });
    }
  });
});

describe('selfService: regenerating backup codes right after signing in', () => {
  const policy = createPolicy(selfService);
  const u = soleUser('c-1', { settings: { devices: devices('totp'), backupCodesRemaining: 9 } });

  it('with a backup code is refused: a new set needs a code from the app (primary factor)', () => {
    const byBackupCode = as(u, { secondFactor: passed(NOW, 'backup_code') });
    expect(policy.canRegenerateBackupCodes(byBackupCode, u, ctx())).toMatchObject({
      allowed: false,
      reason: 'fresh_auth_required',
      detail: { action: 'regenerate_backup_codes', proof: 'second_factor', primaryFactor: true },
    });
  });

  it('with a TOTP code is allowed', () => {
    const byApp = as(u, { secondFactor: passed(NOW, 'totp') });
    expect(policy.canRegenerateBackupCodes(byApp, u, ctx())).toEqual({ allowed: true, reason: 'owner' });
  });

  it('a backup code still proves presence where the policy does not ask for a primary factor', () => {
    const byBackupCode = as(u, { secondFactor: passed(NOW, 'backup_code') });
    expect(policy.canSetUseTwoFactor(byBackupCode, u, false, ctx())).toEqual({
      allowed: true,
      reason: 'owner',
    });
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
    const phone = { verifiedBy: { userId: 'colleague', tenantId: 'acme' } };
    expect(trusting.canSkipPhoneVerification(as(u), u, phone, ctx())).toEqual({
      allowed: true,
      reason: 'phone_verified_in_tenant',
    });
  });

  it('a number verified in another tenant, or by nobody, is verified again', () => {
    const foreign = { verifiedBy: { userId: 'stranger', tenantId: 'globex' } };
    expect(trusting.canSkipPhoneVerification(as(u), u, foreign, ctx()).allowed).toBe(false);
    expect(trusting.canSkipPhoneVerification(as(u), u, { verifiedBy: null }, ctx()).reason).toBe(
      'phone_verification_required',
    );
  });

  it('by default every number is verified', () => {
    const phone = { verifiedBy: { userId: 'colleague', tenantId: 'acme' } };
    expect(strict.canSkipPhoneVerification(as(u), u, phone, ctx()).allowed).toBe(false);
  });

  it('in a single-tenant policy a number verified by another user of the installation needs no new check', () => {
    const sole = createPolicy({
      tenancy: 'single',
      methods: { allowed: ['sms', 'totp'] },
      self: { trustPhoneVerifiedInTenant: true },
    });
    const s = soleUser('s');
    expect(sole.canSkipPhoneVerification(as(s), s, { verifiedBy: { userId: 'other' } }, ctx()).allowed).toBe(
      true,
    );
  });

  it('takes the context like every other question and refuses to answer without it', () => {
    const phone = { verifiedBy: { userId: 'colleague', tenantId: 'acme' } };
    const forgotten = undefined as unknown as ReturnType<typeof ctx>;
    expectFactRefused(() => trusting.canSkipPhoneVerification(as(u), u, phone, forgotten), 'ctx');
  });

  it('a multi-tenant policy refuses a verifier without a tenant instead of reading him as "same tenant"', () => {
    const phone = { verifiedBy: { userId: 'colleague' } };
    expectFactRefused(
      () => trusting.canSkipPhoneVerification(as(u), u, phone, ctx()),
      'phone.verifiedBy.tenantId',
    );
  });
});
