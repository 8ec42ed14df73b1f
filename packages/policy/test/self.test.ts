import { createPolicy, type PolicyConfig } from '@secondfactor/policy';
import { describe, expect, it } from 'vitest';
import { as, ctx, devices, NOW, stale, user } from './helpers';

const base: PolicyConfig = {
  methods: { allowed: ['totp', 'backup_code'] },
  self: { toggle: true, skipSetup: true, resetOwn: true },
  requirement: {
    roles: [
      { roles: ['finance'], require: true },
      { roles: ['sales'], require: true, waivable: true },
    ],
  },
  admin: { alwaysMayToggle: true },
};
const policy = createPolicy(base);
const enrolled = user('u', { settings: { devices: devices('totp') } });
const newcomer = user('n');
const neighbour = user('x');

describe('only the owner switches his own 2FA', () => {
  it.each([
    ['canEnable', policy.canEnable, newcomer],
    ['canDisable', policy.canDisable, enrolled],
    ['canSkipSetup', policy.canSkipSetup, user('s', { settings: { requiredByAdmin: true } })],
    ['canResetOwn', policy.canResetOwn, enrolled],
  ] as const)('%s refuses another user, even one with fresh proofs', (_name, question, subject) => {
    expect(question(as(neighbour), subject, ctx())).toMatchObject({ allowed: false, reason: 'not_owner' });
  });

  it('the same id in another tenant is another person', () => {
    const twin = as(enrolled, { tenantId: 'globex' });
    expect(policy.canDisable(twin, enrolled, ctx())).toMatchObject({ allowed: false, reason: 'not_owner' });
  });
});

describe('canEnable', () => {
  it('a user enables 2FA for himself after re-entering his password', () => {
    expect(policy.canEnable(as(newcomer), newcomer, ctx())).toEqual({ allowed: true, reason: 'owner' });
    expect(policy.canEnable(stale(newcomer), newcomer, ctx())).toMatchObject({
      reason: 'fresh_auth_required',
      detail: { proof: 'password' },
    });
  });

  it('a user without "Can toggle" may not', () => {
    const locked = user('l', { settings: { mayToggle: false } });
    expect(policy.canEnable(as(locked), locked, ctx())).toEqual({
      allowed: false,
      reason: 'toggle_not_permitted',
    });
  });

  it('a policy without self-service refuses everyone but admins who always may toggle', () => {
    const managed = createPolicy({ ...base, self: { toggle: false } });
    expect(managed.canEnable(as(newcomer), newcomer, ctx()).reason).toBe('action_not_offered');
    const admin = user('a', { roles: ['admin'] });
    expect(managed.canEnable(as(admin), admin, ctx()).allowed).toBe(true);
  });

  it('is refused when 2FA is already active', () => {
    expect(policy.canEnable(as(enrolled), enrolled, ctx()).reason).toBe('already_enabled');
  });
});

describe('canDisable', () => {
  it('H5: needs the password and a current second factor', () => {
    expect(policy.canDisable(as(enrolled), enrolled, ctx())).toEqual({ allowed: true, reason: 'owner' });
    expect(policy.canDisable(as(enrolled, { secondFactorAt: NOW - 3_600_000 }), enrolled, ctx())).toEqual({
      allowed: false,
      reason: 'fresh_auth_required',
      detail: { action: 'disable', proof: 'second_factor', maxAgeSeconds: 300 },
    });
    expect(policy.canDisable(stale(enrolled), enrolled, ctx()).detail?.proof).toBe(
      'password_and_second_factor',
    );
  });

  it('a user with no active 2FA is asked for the password only', () => {
    const required = user('r', { settings: { requiredByAdmin: true } });
    expect(policy.canDisable(as(required, { secondFactorAt: undefined }), required, ctx()).allowed).toBe(
      true,
    );
  });

  it('a non-waivable role requirement cannot be lifted by its user', () => {
    const finance = user('f', { roles: ['finance'], settings: { devices: devices('totp') } });
    expect(policy.canDisable(as(finance), finance, ctx())).toEqual({
      allowed: false,
      reason: 'required_by_role',
    });
  });

  it('a waivable role requirement may be lifted by a user who may toggle', () => {
    const sales = user('s', { roles: ['sales'], settings: { devices: devices('totp') } });
    expect(policy.canDisable(as(sales), sales, ctx()).allowed).toBe(true);
  });

  it('nothing to disable for a user without 2FA', () => {
    expect(policy.canDisable(as(newcomer), newcomer, ctx()).reason).toBe('not_enabled');
  });
});

describe('canSkipSetup (the "Disable 2FA" button on the first-login set-up screen)', () => {
  const required = user('r', { settings: { requiredByAdmin: true } });

  it('is offered to a user who may toggle while his set-up is due', () => {
    expect(policy.canSkipSetup(as(required), required, ctx())).toEqual({ allowed: true, reason: 'owner' });
  });

  it('is refused once 2FA was configured', () => {
    expect(policy.canSkipSetup(as(enrolled), enrolled, ctx()).reason).toBe('setup_complete');
  });

  it('is refused to a user without "Can toggle"', () => {
    const locked = user('l', { settings: { requiredByAdmin: true, mayToggle: false } });
    expect(policy.canSkipSetup(as(locked), locked, ctx()).reason).toBe('toggle_not_permitted');
  });

  it('never skips a non-waivable requirement', () => {
    const finance = user('f', { roles: ['finance'] });
    expect(policy.canSkipSetup(as(finance), finance, ctx()).reason).toBe('required_by_role');
  });

  it('is refused when no set-up is due', () => {
    expect(policy.canSkipSetup(as(newcomer), newcomer, ctx()).reason).toBe('not_enabled');
  });
});

describe('canResetOwn (move to a new phone)', () => {
  it('needs a second factor passed within the fresh-auth window', () => {
    expect(policy.canResetOwn(as(enrolled), enrolled, ctx())).toEqual({ allowed: true, reason: 'owner' });
    expect(policy.canResetOwn(as(enrolled, { secondFactorAt: undefined }), enrolled, ctx())).toMatchObject({
      allowed: false,
      reason: 'fresh_auth_required',
      detail: { proof: 'second_factor' },
    });
  });

  it('is refused to a user who has nothing set up', () => {
    expect(policy.canResetOwn(as(newcomer), newcomer, ctx()).reason).toBe('not_enrolled');
  });
});
