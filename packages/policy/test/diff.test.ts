import {
  type Actor,
  diffPolicy,
  type PolicyConfig,
  policyChangeRecord,
  selfService,
  tenantFeaturesChangeRecord,
} from '@secondfactor/policy';
import { describe, expect, it } from 'vitest';
import { NOW } from './helpers';

describe('K6: policy changes yield before/after values for the audit record', () => {
  it('identical policies have no changes', () => {
    expect(diffPolicy(selfService, { ...selfService })).toEqual([]);
  });

  it('reports each changed leaf with its dotted path, before and after', () => {
    const after: PolicyConfig = {
      ...selfService,
      attempts: { maxFailures: 3 },
      otp: { digits: 6, periodSeconds: 30, window: { past: 1, future: 2 } },
    };
    expect(diffPolicy(selfService, after)).toEqual([
      { path: 'attempts.maxFailures', before: 5, after: 3 },
      { path: 'otp.window.past', before: 2, after: 1 },
    ]);
  });

  it('reports lists whole and added or removed fields with undefined on the missing side', () => {
    const before: PolicyConfig = { methods: { allowed: ['totp', 'sms'] }, compliance: 'l2' };
    const after: PolicyConfig = { methods: { allowed: ['totp'] }, backupCodes: { issue: true } };
    expect(diffPolicy(before, after)).toEqual([
      { path: 'backupCodes', before: undefined, after: { issue: true } },
      { path: 'compliance', before: 'l2', after: undefined },
      { path: 'methods.allowed', before: ['totp', 'sms'], after: ['totp'] },
    ]);
  });

  it('a rule rewritten with its keys in another order is not a change', () => {
    const a: PolicyConfig = {
      methods: { allowed: ['totp'] },
      requirement: { roles: [{ roles: ['x'], require: true }] },
    };
    const b: PolicyConfig = {
      methods: { allowed: ['totp'] },
      requirement: { roles: [{ require: true, roles: ['x'] }] },
    };
    expect(diffPolicy(a, b)).toEqual([]);
  });

  it('the record names the actor, the policy and the time', () => {
    const actor: Actor = {
      id: 'admin-1',
      roles: ['admin'],
      tenantId: 'acme',
      reauthenticatedAt: NOW,
      secondFactor: null,
    };
    const after: PolicyConfig = { ...selfService, attempts: { maxFailures: 3 } };
    expect(policyChangeRecord({ actor, before: selfService, after, at: NOW })).toEqual({
      type: 'policy_changed',
      actorId: 'admin-1',
      tenantId: 'acme',
      policy: 'selfService',
      at: NOW,
      changes: [{ path: 'attempts.maxFailures', before: 5, after: 3 }],
    });
  });
});

describe("a tenant's feature change yields the features switched on and off for the audit record", () => {
  const admin: Actor = {
    id: 'admin-1',
    roles: ['admin'],
    tenantId: 'acme',
    reauthenticatedAt: NOW,
    secondFactor: null,
  };

  it('lists added and removed features, each sorted, and names the actor, tenant and time', () => {
    const record = tenantFeaturesChangeRecord({
      actor: admin,
      tenantId: 'acme',
      before: ['partner', 'smtp', '2fa_totp', 'audit'],
      after: ['zeta', 'partner', '2fa_email', 'alpha'],
      at: NOW,
    });
    expect(record).toEqual({
      type: 'tenant_features_changed',
      actorId: 'admin-1',
      tenantId: 'acme',
      at: NOW,
      added: ['2fa_email', 'alpha', 'zeta'],
      removed: ['2fa_totp', 'audit', 'smtp'],
    });
  });

  it('a feature listed twice is reported once; unchanged features are not reported', () => {
    const record = tenantFeaturesChangeRecord({
      actor: admin,
      tenantId: 'acme',
      before: ['partner'],
      after: ['partner', 'smtp', 'smtp'],
      at: NOW,
    });
    expect(record.added).toEqual(['smtp']);
    expect(record.removed).toEqual([]);
  });

  it('a single-tenant change carries no tenant id', () => {
    const { tenantId: _dropped, ...sole } = admin;
    const record = tenantFeaturesChangeRecord({
      actor: sole,
      tenantId: undefined,
      before: [],
      after: ['smtp'],
      at: NOW,
    });
    expect(record).not.toHaveProperty('tenantId');
  });
});
