import {
  type Actor,
  accountAdmin,
  createPolicy,
  type PolicyContext,
  partnerPortal,
  type Subject,
  selfService,
} from '@secondfactor/policy';
import { describe, expect, it } from 'vitest';
import { as, ctx, DAY, devices, expectFactRefused, NOW, soleUser, user } from './helpers';

/** A value as the host might send it, whatever the declared type says. */
const forge = <T>(value: unknown): T => value as T;

const admins = createPolicy(accountAdmin);
const partners = createPolicy(partnerPortal);
const platform = createPolicy(selfService);

const admin = user('admin-1', { roles: ['admin'], settings: { devices: devices('totp') } });
const member = user('u-1', { settings: { devices: devices('totp') } });
const newcomer = user('u-2');
const partnerUser = user('p-1', { tenantId: 'partner-1', settings: { devices: devices('totp') } });
const soleMember = soleUser('s-1', { settings: { devices: devices('totp'), backupCodesRemaining: 10 } });

const withSettings = (subject: Subject, settings: Record<string, unknown>): Subject =>
  forge<Subject>({ ...subject, settings: { ...subject.settings, ...settings } });

const without = <T extends object>(value: T, field: string): T => {
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  delete copy[field];
  return copy as T;
};

describe('the context', () => {
  it('missing ctx.now is refused, by login and by every actor question', () => {
    const noClock = forge<PolicyContext>({});
    expectFactRefused(() => admins.loginRequirement(member, noClock), 'ctx.now');
    expectFactRefused(() => admins.canReset(as(admin), member, noClock), 'ctx.now');
    expectFactRefused(() => admins.canConfigureTenant(as(admin), 'acme', noClock), 'ctx.now');
  });

  it('ctx.now as a date string is refused', () => {
    expectFactRefused(
      () => admins.loginRequirement(member, forge<PolicyContext>({ now: new Date(NOW).toISOString() })),
      'ctx.now',
    );
  });

  it('partnerPortal: a forgotten ctx.tenantFeatures is refused, not read as "no partner feature" (which lets an enrolled user in without a code)', () => {
    expectFactRefused(() => partners.loginRequirement(partnerUser, { now: NOW }), 'ctx.tenantFeatures');
    expect(partners.loginRequirement(partnerUser, ctx(['partner', '2fa_totp']))).toMatchObject({
      kind: 'challenge',
      methods: ['totp'],
    });
    // A policy whose rules name no feature needs none.
    expect(admins.loginRequirement(member, { now: NOW }).kind).toBe('challenge');
  });

  it('tenantFeatures given as one string instead of a list is refused', () => {
    const oneString = forge<PolicyContext>({ now: NOW, tenantFeatures: 'partner' });
    expectFactRefused(() => partners.loginRequirement(partnerUser, oneString), 'ctx.tenantFeatures');
  });
});

describe('the actor', () => {
  it('an actor without secondFactor is refused: null says "none passed", absence is an error', () => {
    const forgot = forge<Actor>(without(as(member), 'secondFactor'));
    expectFactRefused(() => admins.canResetOwn(forgot, member, ctx()), 'actor.secondFactor');
    expect(admins.canResetOwn(as(member, { secondFactor: null }), member, ctx()).allowed).toBe(false);
  });

  it('an actor without reauthenticatedAt is refused', () => {
    const forgot = forge<Actor>(without(as(admin), 'reauthenticatedAt'));
    expectFactRefused(() => admins.canReset(forgot, member, ctx()), 'actor.reauthenticatedAt');
  });

  it('the old field secondFactorAt is no proof: the actor is refused for the missing secondFactor', () => {
    const old = forge<Actor>({ ...without(as(member), 'secondFactor'), secondFactorAt: NOW });
    expectFactRefused(() => admins.canResetOwn(old, member, ctx()), 'actor.secondFactor');
  });

  it('a second-factor proof with an unknown method is refused', () => {
    const odd = as(member, { secondFactor: forge({ at: NOW, method: 'sms-ish' }) });
    expectFactRefused(() => admins.canResetOwn(odd, member, ctx()), 'actor.secondFactor.method');
  });
});

describe('tenancy', () => {
  it('multi-tenant: an actor without tenantId is refused', () => {
    const homeless = forge<Actor>(without(as(admin), 'tenantId'));
    expectFactRefused(() => admins.canReset(homeless, member, ctx()), 'actor.tenantId');
  });

  it('multi-tenant: a subject without tenantId is refused', () => {
    const homeless = without(member, 'tenantId');
    expectFactRefused(() => admins.loginRequirement(homeless, ctx()), 'subject.tenantId');
  });

  it('multi-tenant: an admin and a user who both lack a tenantId are not one tenant', () => {
    const homelessAdmin = forge<Actor>(without(as(admin), 'tenantId'));
    const homelessUser = without(member, 'tenantId');
    expectFactRefused(() => admins.canReset(homelessAdmin, homelessUser, ctx()), 'actor.tenantId');
    expectFactRefused(
      () => admins.canSetUseTwoFactor(homelessAdmin, homelessUser, false, ctx()),
      'actor.tenantId',
    );
  });

  it('single-tenant: a subject or actor with a tenantId is refused', () => {
    const tenanted = forge<Subject>({ ...soleMember, tenantId: 'acme' });
    expectFactRefused(() => platform.loginRequirement(tenanted, ctx()), 'subject.tenantId');
    const tenantedActor = as(soleMember, { tenantId: 'acme' });
    expectFactRefused(() => platform.canResetOwn(tenantedActor, soleMember, ctx()), 'actor.tenantId');
  });

  it('single-tenant: users without a tenantId are answered', () => {
    expect(platform.canSetUseTwoFactor(as(soleMember), soleMember, false, ctx())).toEqual({
      allowed: true,
      reason: 'owner',
    });
  });
});

describe("the subject's settings", () => {
  const required = user('r', { settings: { useTwoFactor: true } });

  it('graceStartedAt read from the database as a string is refused', () => {
    const text = withSettings(required, { graceStartedAt: String(NOW - DAY) });
    expectFactRefused(() => admins.loginRequirement(text, ctx()), 'subject.settings.graceStartedAt');
  });

  it('graceStartedAt in the future is refused (it would stretch the grace period)', () => {
    const future = withSettings(required, { graceStartedAt: NOW + DAY });
    expectFactRefused(() => admins.loginRequirement(future, ctx()), 'subject.settings.graceStartedAt');
  });

  it.each([
    ["'ACTIVE'", 'ACTIVE'],
    ["'enabled'", 'enabled'],
    ['undefined', undefined],
  ])('enrollment %s is refused', (_name, enrollment) => {
    const odd = withSettings(member, { enrollment });
    expectFactRefused(() => admins.loginRequirement(odd, ctx()), 'subject.settings.enrollment');
  });

  it('the old field requiredByAdmin is refused as unknown, not ignored', () => {
    const old = withSettings(newcomer, { requiredByAdmin: true });
    expectFactRefused(() => admins.loginRequirement(old, ctx()), 'subject.settings.requiredByAdmin');
  });

  it('a device of method backup_code is refused: backup codes are counted, not devices', () => {
    const codesAsDevice = withSettings(member, { devices: devices('totp', 'backup_code') });
    expectFactRefused(
      () => admins.loginRequirement(codesAsDevice, ctx()),
      'subject.settings.devices.1.method',
    );
  });

  it('selfService: a user without backupCodesRemaining is refused (the policy allows backup codes)', () => {
    const uncounted = withSettings(soleMember, { backupCodesRemaining: undefined });
    expectFactRefused(
      () => platform.loginRequirement(uncounted, ctx()),
      'subject.settings.backupCodesRemaining',
    );
  });

  it('useTwoFactor written as a string is refused', () => {
    const text = withSettings(newcomer, { useTwoFactor: 'true' });
    expectFactRefused(() => admins.loginRequirement(text, ctx()), 'subject.settings.useTwoFactor');
  });
});
