import type { Method } from '@secondfactor/core';
import { createPolicy, type PolicyConfig, partnerPortal, type Subject } from '@secondfactor/policy';
import { describe, expect, it } from 'vitest';
import {
  as,
  ctx as context,
  DAY,
  devices,
  expectFactRefused,
  NOW,
  user as someone,
  type UserOptions,
} from './helpers';

const layered: PolicyConfig = {
  methods: { allowed: ['totp', 'sms', 'backup_code'] },
  requirement: {
    default: true,
    defaultWaivable: true,
    defaultGraceSeconds: 30 * 86_400,
    roles: [
      { roles: ['robot'], require: false },
      { roles: ['admin'], require: true, graceSeconds: 86_400 },
      { roles: ['staff'], require: true, waivable: true, graceSeconds: 7 * 86_400 },
    ],
    features: [{ feature: 'sso', require: false }],
  },
};
const policy = createPolicy(layered);

/** `layered` names a tenant feature, so every question gets the tenant's features (none unless given). */
const ctx = (features: readonly string[] = []) => context(features);

/** A user of `layered`, which allows backup codes: his count of unused codes is a required fact. */
function user(id: string, options: UserOptions = {}): Subject {
  return someone(id, { ...options, settings: { backupCodesRemaining: 0, ...options.settings } });
}

describe('loginRequirement: rule order (user switch → role → tenant feature → default)', () => {
  it('the default rule requires 2FA when nothing else has an opinion', () => {
    const need = policy.loginRequirement(user('u'), ctx());
    expect(need).toMatchObject({ kind: 'enroll', reason: 'required_by_default', methods: ['totp', 'sms'] });
  });

  it('a tenant feature that waives 2FA outranks the default', () => {
    expect(policy.loginRequirement(user('u'), ctx(['sso']))).toMatchObject({
      kind: 'none',
      reason: 'skipped_by_tenant',
    });
  });

  it('a role rule outranks the tenant feature', () => {
    const staff = user('s', { roles: ['staff'] });
    expect(policy.loginRequirement(staff, ctx(['sso']))).toMatchObject({
      kind: 'enroll',
      reason: 'required_by_role',
    });
  });

  it('the first matching role rule outranks later ones', () => {
    const robotStaff = user('r', { roles: ['staff', 'robot'] });
    expect(policy.loginRequirement(robotStaff, ctx())).toMatchObject({
      kind: 'none',
      reason: 'skipped_by_role',
    });
  });

  it('the per-user switch outranks a waivable role rule', () => {
    const staff = user('s', { roles: ['staff'], settings: { useTwoFactor: false } });
    expect(policy.loginRequirement(staff, ctx())).toMatchObject({
      kind: 'none',
      reason: 'disabled_for_user',
    });
  });

  it('the per-user switch requires 2FA where the role rules waive it', () => {
    const robot = user('r', { roles: ['robot'], settings: { useTwoFactor: true } });
    expect(policy.loginRequirement(robot, ctx())).toMatchObject({
      kind: 'enroll',
      reason: 'required_by_user_setting',
    });
  });

  it('useTwoFactor null means "follow the policy", exactly like an absent switch (the store\'s meaning)', () => {
    // staff: a waivable requiring role rule; the default answers the rest.
    for (const roles of [['staff'], ['robot'], []]) {
      const absent = policy.loginRequirement(user('n', { roles }), ctx());
      const followPolicy = policy.loginRequirement(
        user('n', { roles, settings: { useTwoFactor: null } }),
        ctx(),
      );
      expect(followPolicy).toEqual(absent);
      expect(followPolicy).not.toMatchObject({ reason: 'disabled_for_user' });
    }
    const staff = user('s', { roles: ['staff'], settings: { useTwoFactor: null } });
    expect(policy.loginRequirement(staff, ctx())).toMatchObject({
      kind: 'enroll',
      reason: 'required_by_role',
    });
  });

  it('K1: a non-waivable role rule (admin ⇒ 2FA) holds against the per-user switch and earlier waivers', () => {
    const admin = user('a', { roles: ['robot', 'admin'], settings: { useTwoFactor: false } });
    const need = policy.loginRequirement(admin, ctx(['sso']));
    expect(need).toMatchObject({ kind: 'enroll', reason: 'required_by_role', rule: 'admin' });
  });
});

describe('loginRequirement: grace periods (the shortest applicable one wins)', () => {
  it('a user under the default (30 days) and the staff rule (7 days) gets 7 days, starting now', () => {
    const staff = user('s', { roles: ['staff'] });
    expect(policy.loginRequirement(staff, ctx())).toMatchObject({
      kind: 'enroll',
      deferrable: true,
      graceRemainingSeconds: 7 * 86_400,
      graceStartsNow: true,
    });
  });

  it('an admin under three requiring rules gets the 1-day grace of the admin rule', () => {
    const admin = user('a', { roles: ['staff', 'admin'] });
    expect(policy.loginRequirement(admin, ctx()).graceRemainingSeconds).toBe(86_400);
  });

  it('grace counts from the stored start and rounds up to whole seconds', () => {
    const admin = user('a', { roles: ['admin'], settings: { graceStartedAt: NOW - DAY + 1500 } });
    const need = policy.loginRequirement(admin, ctx());
    expect(need).toMatchObject({ kind: 'enroll', deferrable: true, graceRemainingSeconds: 2 });
    expect(need.graceStartsNow).toBeUndefined();
  });

  it('after the grace period the set-up is mandatory', () => {
    const admin = user('a', { roles: ['admin'], settings: { graceStartedAt: NOW - DAY } });
    const need = policy.loginRequirement(admin, ctx());
    expect(need).toMatchObject({ kind: 'enroll', deferrable: false });
    expect(need.graceRemainingSeconds).toBeUndefined();
  });

  it('the per-user switch carries no grace unless configured', () => {
    const robot = user('r', { roles: ['robot'], settings: { useTwoFactor: true } });
    expect(policy.loginRequirement(robot, ctx()).deferrable).toBe(false);
  });
});

describe('loginRequirement: enrolled users', () => {
  it('an enrolled user is challenged with his usable primary methods; backup codes are a fallback', () => {
    const u = user('u', { settings: { devices: devices('sms', 'totp'), backupCodesRemaining: 10 } });
    expect(policy.loginRequirement(u, ctx())).toEqual({
      kind: 'challenge',
      reason: 'enrolled',
      methods: ['totp', 'sms'],
      fallbackMethods: ['backup_code'],
      deferrable: false,
    });
  });

  it('a user who enrolled by choice is challenged even where no rule requires 2FA', () => {
    const robot = user('r', { roles: ['robot'], settings: { devices: devices('totp') } });
    expect(policy.loginRequirement(robot, ctx())).toMatchObject({ kind: 'challenge', methods: ['totp'] });
  });

  it('a user whose only devices the policy no longer accepts is denied, never sent to a set-up a password completes', () => {
    const narrowed = createPolicy({ ...layered, methods: { allowed: ['totp'] } });
    const u = user('u', { settings: { devices: devices('sms') } });
    expect(narrowed.loginRequirement(u, ctx())).toEqual({
      kind: 'denied',
      reason: 'no_usable_method',
      methods: [],
      fallbackMethods: [],
      deferrable: false,
    });
  });

  it('TOTP switched off while a user still holds it: his login is denied; a user with another method is challenged', () => {
    const before = createPolicy({ methods: { allowed: ['totp', 'push'] }, self: { toggle: true } });
    const after = createPolicy({ methods: { allowed: ['push'] }, self: { toggle: true } });
    const appOnly = someone('a', { settings: { devices: devices('totp') } });
    const both = someone('b', { settings: { devices: devices('totp', 'push') } });
    expect(before.loginRequirement(appOnly, context())).toMatchObject({
      kind: 'challenge',
      methods: ['totp'],
    });
    expect(after.loginRequirement(appOnly, context())).toMatchObject({
      kind: 'denied',
      reason: 'no_usable_method',
      methods: [],
    });
    expect(after.loginRequirement(both, context())).toMatchObject({ kind: 'challenge', methods: ['push'] });
  });

  it('backup codes back up a login only while the user has unused ones', () => {
    const withCodes = user('c', { settings: { devices: devices('totp'), backupCodesRemaining: 1 } });
    const usedUp = user('d', { settings: { devices: devices('totp'), backupCodesRemaining: 0 } });
    expect(policy.loginRequirement(withCodes, ctx()).fallbackMethods).toEqual(['backup_code']);
    expect(policy.loginRequirement(usedUp, ctx()).fallbackMethods).toEqual([]);
    expect(policy.canUseMethod(withCodes, { method: 'backup_code' }, ctx()).allowed).toBe(true);
    expect(policy.canUseMethod(usedUp, { method: 'backup_code' }, ctx()).allowed).toBe(false);
  });

  it('backup codes alone are no way in: a user whose only primary device is gone is denied', () => {
    const narrowed = createPolicy({ ...layered, methods: { allowed: ['totp', 'backup_code'] } });
    const u = user('u', { settings: { devices: devices('sms'), backupCodesRemaining: 10 } });
    expect(narrowed.loginRequirement(u, ctx()).kind).toBe('denied');
  });

  it('a reset user sets 2FA up again at the next login, without grace', () => {
    const u = user('u', { roles: ['robot'], settings: { enrollment: 'reset', devices: [] } });
    expect(policy.loginRequirement(u, ctx())).toMatchObject({
      kind: 'enroll',
      reason: 'reset_pending',
      deferrable: false,
    });
  });

  it('a pending (unconfirmed) set-up does not count as enrolled', () => {
    const u = user('u', { roles: ['robot'], settings: { enrollment: 'pending' } });
    expect(policy.loginRequirement(u, ctx())).toMatchObject({ kind: 'none' });
  });
});

describe('loginRequirement: a required user with no method the tenant can serve is denied', () => {
  const partner = createPolicy(partnerPortal);
  const u = someone('p', { settings: { enrollment: 'none', devices: [] } });

  it('partnerPortal: e-mail codes switched on without an SMTP server leave a user who must use them no way in', () => {
    expect(partner.loginRequirement(u, context(['partner', '2fa_email']))).toEqual({
      kind: 'denied',
      reason: 'no_usable_method',
      methods: [],
      fallbackMethods: [],
      deferrable: false,
    });
    // Once the SMTP server is configured, the same user is challenged by e-mail.
    expect(partner.loginRequirement(u, context(['partner', '2fa_email', 'smtp']))).toMatchObject({
      kind: 'challenge',
      reason: 'method_without_enrollment',
      methods: ['email'],
    });
  });
});

describe('canUseMethod (K3: a request cannot pick a weaker or unoffered method)', () => {
  const u = user('u', { settings: { devices: devices('totp') } });

  it('accepts a method the challenge offers', () => {
    expect(policy.canUseMethod(u, { method: 'totp' }, ctx())).toEqual({
      allowed: true,
      reason: 'method_usable',
      detail: { method: 'totp' },
    });
  });

  it('refuses an allowed method the user never enrolled', () => {
    expect(policy.canUseMethod(u, { method: 'sms' }, ctx())).toMatchObject({
      allowed: false,
      reason: 'method_not_enrolled',
    });
  });

  it('refuses a method the policy does not allow', () => {
    expect(policy.canUseMethod(u, { method: 'email' }, ctx())).toMatchObject({
      allowed: false,
      reason: 'method_not_allowed',
    });
  });

  it('refuses a method name that is not a method at all as a malformed fact', () => {
    // Requests carry strings; the engine must not trust the type system at its boundary.
    const forged = 'none' as unknown as Method;
    expectFactRefused(() => policy.canUseMethod(u, { method: forged }, ctx()), 'choice.method');
  });

  it("accepts one of the user's own devices by id and refuses an id that is not his (K3)", () => {
    const twoPhones = user('p', { settings: { devices: devices('totp', 'sms', 'sms') } });
    expect(policy.canUseMethod(twoPhones, { method: 'sms', id: 'sms-2' }, ctx()).allowed).toBe(true);
    expect(policy.canUseMethod(twoPhones, { method: 'sms', id: 'sms-0' }, ctx())).toEqual({
      allowed: false,
      reason: 'device_not_found',
      detail: { method: 'sms' },
    });
    expect(policy.canUseMethod(twoPhones, { method: 'sms', id: 'someone-elses-phone' }, ctx()).reason).toBe(
      'device_not_found',
    );
  });

  it('refuses every method during set-up except those offered for set-up', () => {
    const fresh = user('f');
    expect(policy.canUseMethod(fresh, { method: 'backup_code' }, ctx()).allowed).toBe(false);
    expect(policy.canUseMethod(fresh, { method: 'totp' }, ctx()).allowed).toBe(true);
  });
});

describe('the engine is pure', () => {
  it('answers the same question twice with equal answers and leaves its inputs untouched', () => {
    const u = user('u', { roles: ['staff'] });
    const snapshot = JSON.stringify(u);
    const first = policy.loginRequirement(u, ctx());
    expect(policy.loginRequirement(u, ctx())).toEqual(first);
    expect(JSON.stringify(u)).toBe(snapshot);
    expect(policy.canReset(as(u), u, ctx())).toEqual(policy.canReset(as(u), u, ctx()));
  });
});
