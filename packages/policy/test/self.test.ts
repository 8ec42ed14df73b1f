import { createPolicy, type PolicyConfig, type Subject } from '@secondfactor/policy';
import { describe, expect, it } from 'vitest';
import { as, ctx, devices, NOW, passed, user as someone, stale, type UserOptions } from './helpers';

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

/** A user of `base`, which allows backup codes: his count of unused codes is a required fact. */
function user(id: string, options: UserOptions = {}): Subject {
  return someone(id, { ...options, settings: { backupCodesRemaining: 0, ...options.settings } });
}

const enrolled = user('u', { settings: { devices: devices('totp') } });
const newcomer = user('n');
const neighbour = user('x');

describe('only the owner switches his own 2FA', () => {
  it.each([
    ['canSkipSetup', policy.canSkipSetup, user('s', { settings: { useTwoFactor: true } })],
    ['canResetOwn', policy.canResetOwn, enrolled],
  ] as const)('%s refuses another user, even one with fresh proofs', (_name, question, subject) => {
    expect(question(as(neighbour), subject, ctx())).toMatchObject({ allowed: false, reason: 'not_owner' });
  });

  it.each([
    [true, newcomer],
    [false, enrolled],
  ] as const)(
    '"Use 2FA: %s" by another user is an admin power, refused to a user without one',
    (value, subject) => {
      const offered = createPolicy({ ...base, admin: { require: true, disableFor: true } });
      expect(offered.canSetUseTwoFactor(as(neighbour), subject, value, ctx())).toMatchObject({
        allowed: false,
        reason: 'not_admin',
      });
      expect(policy.canSetUseTwoFactor(as(neighbour), subject, value, ctx())).toMatchObject({
        allowed: false,
        reason: 'action_not_offered',
      });
    },
  );

  it('the same id in another tenant is another person', () => {
    const twin = as(enrolled, { tenantId: 'globex' });
    expect(policy.canResetOwn(twin, enrolled, ctx())).toMatchObject({ allowed: false, reason: 'not_owner' });
    expect(policy.canSetUseTwoFactor(twin, enrolled, false, ctx())).toMatchObject({ allowed: false });
  });
});

describe('"Use 2FA: yes" on one\'s own profile (enable)', () => {
  it('a user enables 2FA for himself without re-entering his password by default', () => {
    expect(policy.canSetUseTwoFactor(as(newcomer), newcomer, true, ctx())).toEqual({
      allowed: true,
      reason: 'owner',
    });
    expect(policy.canSetUseTwoFactor(stale(newcomer), newcomer, true, ctx())).toEqual({
      allowed: true,
      reason: 'owner',
    });
    const signedInOnly = as(newcomer, { reauthenticatedAt: null, secondFactor: null });
    expect(policy.canSetUseTwoFactor(signedInOnly, newcomer, true, ctx()).allowed).toBe(true);
  });

  it("a policy that sets freshAuth.proof.enable: 'password' asks for a recent password", () => {
    const careful = createPolicy({ ...base, freshAuth: { proof: { enable: 'password' } } });
    expect(careful.canSetUseTwoFactor(as(newcomer), newcomer, true, ctx())).toEqual({
      allowed: true,
      reason: 'owner',
    });
    expect(careful.canSetUseTwoFactor(stale(newcomer), newcomer, true, ctx())).toEqual({
      allowed: false,
      reason: 'fresh_auth_required',
      detail: { action: 'enable', proof: 'password', maxAgeSeconds: 300 },
    });
  });

  it('a user without "Can toggle" may not', () => {
    const locked = user('l', { settings: { mayToggle: false } });
    expect(policy.canSetUseTwoFactor(as(locked), locked, true, ctx())).toEqual({
      allowed: false,
      reason: 'toggle_not_permitted',
    });
  });

  it('a policy without self-service refuses everyone but admins who always may toggle', () => {
    const managed = createPolicy({ ...base, self: { toggle: false } });
    expect(managed.canSetUseTwoFactor(as(newcomer), newcomer, true, ctx()).reason).toBe('action_not_offered');
    const admin = user('a', { roles: ['admin'] });
    expect(managed.canSetUseTwoFactor(as(admin), admin, true, ctx()).allowed).toBe(true);
  });

  it('is refused when 2FA is already active', () => {
    expect(policy.canSetUseTwoFactor(as(enrolled), enrolled, true, ctx()).reason).toBe('already_enabled');
  });
});

describe('"Use 2FA: no" on one\'s own profile (disable)', () => {
  it('H5: needs the password and a current second factor', () => {
    expect(policy.canSetUseTwoFactor(as(enrolled), enrolled, false, ctx())).toEqual({
      allowed: true,
      reason: 'owner',
    });
    const oldFactor = as(enrolled, { secondFactor: passed(NOW - 3_600_000) });
    expect(policy.canSetUseTwoFactor(oldFactor, enrolled, false, ctx())).toEqual({
      allowed: false,
      reason: 'fresh_auth_required',
      detail: { action: 'disable', proof: 'second_factor', maxAgeSeconds: 300 },
    });
    expect(policy.canSetUseTwoFactor(stale(enrolled), enrolled, false, ctx()).detail?.proof).toBe(
      'password_and_second_factor',
    );
  });

  it('a user with no active 2FA is asked for the password only', () => {
    const required = user('r', { settings: { useTwoFactor: true } });
    const noFactor = as(required, { secondFactor: null });
    expect(policy.canSetUseTwoFactor(noFactor, required, false, ctx()).allowed).toBe(true);
  });

  it('a non-waivable role requirement cannot be lifted by its user', () => {
    const finance = user('f', { roles: ['finance'], settings: { devices: devices('totp') } });
    expect(policy.canSetUseTwoFactor(as(finance), finance, false, ctx())).toEqual({
      allowed: false,
      reason: 'required_by_role',
    });
  });

  it('a waivable role requirement may be lifted by a user who may toggle', () => {
    const sales = user('s', { roles: ['sales'], settings: { devices: devices('totp') } });
    expect(policy.canSetUseTwoFactor(as(sales), sales, false, ctx()).allowed).toBe(true);
  });

  it('nothing to disable for a user without 2FA', () => {
    expect(policy.canSetUseTwoFactor(as(newcomer), newcomer, false, ctx()).reason).toBe('not_enabled');
  });
});

describe('canSkipSetup (the "Disable 2FA" button on the first-login set-up screen)', () => {
  const required = user('r', { settings: { useTwoFactor: true } });

  it('is offered to a user who may toggle while his set-up is due', () => {
    expect(policy.canSkipSetup(as(required), required, ctx())).toEqual({ allowed: true, reason: 'owner' });
  });

  it('is refused once 2FA was configured', () => {
    expect(policy.canSkipSetup(as(enrolled), enrolled, ctx()).reason).toBe('setup_complete');
  });

  it('is refused to a user without "Can toggle"', () => {
    const locked = user('l', { settings: { useTwoFactor: true, mayToggle: false } });
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
    expect(policy.canResetOwn(as(enrolled, { secondFactor: null }), enrolled, ctx())).toMatchObject({
      allowed: false,
      reason: 'fresh_auth_required',
      detail: { proof: 'second_factor' },
    });
  });

  it('is refused to a user who has nothing set up', () => {
    expect(policy.canResetOwn(as(newcomer), newcomer, ctx()).reason).toBe('not_enrolled');
  });
});
