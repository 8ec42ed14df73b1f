/**
 * Property: whatever sequence of actions any actors try, (1) every device a user holds was enrolled by
 * that user, (2) a login requirement is only ever lifted by someone entitled to lift it, and (3) nobody
 * outside the user's tenant changes anything but a support reset. The entitlement oracle below restates
 * the rules from the raw configuration, independently of the engine's code.
 */

import { METHODS, type Method } from '@secondfactor/core';
import {
  type Actor,
  accountAdmin,
  createPolicy,
  exclusiveMethod,
  multiMethod,
  type PolicyConfig,
  partnerPortal,
  type Subject,
  selfService,
} from '@secondfactor/policy';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NOW } from './helpers';

const adminMustUse2fa: PolicyConfig = {
  name: 'adminMustUse2fa',
  methods: { allowed: ['totp', 'sms', 'push', 'backup_code'], maxDevices: { totp: 3, push: 3 } },
  requirement: { roles: [{ roles: ['admin'], require: true, graceSeconds: 3600 }], defaultWaivable: true },
  admin: {
    supportRoles: ['support'],
    require: true,
    setMayToggle: true,
    disableFor: true,
    reset: true,
    viewStatus: true,
  },
  self: { toggle: true, skipSetup: true, resetOwn: true },
  backupCodes: { issue: true },
};

const POLICIES: Array<[string, PolicyConfig]> = [
  ['partnerPortal', partnerPortal],
  ['accountAdmin', accountAdmin],
  ['selfService', selfService],
  ['multiMethod', multiMethod],
  ['exclusiveMethod', exclusiveMethod],
  ['adminMustUse2fa', adminMustUse2fa],
];

interface Person {
  id: string;
  /** Absent for a user of a single-tenant policy. */
  tenantId?: string | undefined;
  roles: string[];
}
interface Device {
  method: Method;
  id: string;
  addedBy: string;
}
interface State {
  useTwoFactor?: boolean | null | undefined;
  mayToggle?: boolean | undefined;
  enrollment: Subject['settings']['enrollment'];
  devices: Device[];
  backupCodesRemaining: number;
}
const KINDS = [
  'setUseTwoFactor',
  'setMayToggle',
  'skipSetup',
  'reset',
  'resetOwn',
  'enroll',
  'addMethod',
  'removeDevice',
  'replaceDevice',
] as const;
interface Step {
  actor: number;
  target: number;
  kind: (typeof KINDS)[number];
  method: Method;
  fresh: boolean;
  flag: boolean;
}

const key = (p: Person): string => `${p.tenantId}/${p.id}`;
const person = fc.record({
  id: fc.constantFrom('p0', 'p1', 'p2', 'p3'),
  tenantId: fc.constantFrom('acme', 'globex'),
  roles: fc.subarray(['admin', 'support', 'staff']),
});
const initial: fc.Arbitrary<Start> = fc.record({
  useTwoFactor: fc.constantFrom(undefined, null, true, false),
  mayToggle: fc.constantFrom(undefined, true, false),
  methods: fc.subarray(['totp', 'sms', 'push', 'voice'] as Method[]),
});
const step = fc.record({
  actor: fc.nat(5),
  target: fc.nat(5),
  kind: fc.constantFrom(...KINDS),
  method: fc.constantFrom(...METHODS),
  fresh: fc.boolean(),
  flag: fc.boolean(),
});
const features = fc.subarray(['partner', '2fa_totp', '2fa_email', 'smtp']);

interface Start {
  useTwoFactor: boolean | null | undefined;
  mayToggle: boolean | undefined;
  methods: Method[];
}

/** The subject the engine sees: the stored state without the test's bookkeeping (who added a device). */
function subjectOf(p: Person, s: State, config: PolicyConfig): Subject {
  return {
    id: p.id,
    roles: p.roles,
    ...(p.tenantId === undefined ? {} : { tenantId: p.tenantId }),
    settings: {
      // A switch never set is stored as null ("follow the rules", "the policy's default").
      useTwoFactor: s.useTwoFactor ?? null,
      mayToggle: s.mayToggle ?? null,
      enrollment: s.enrollment,
      devices: s.devices.map(({ method, id }) => ({ method, id })),
      graceStartedAt: null,
      ...(config.methods.allowed.includes('backup_code')
        ? { backupCodesRemaining: s.backupCodesRemaining }
        : {}),
    },
  };
}

/** In a single-tenant policy nobody carries a tenant id. */
const placed = (config: PolicyConfig, people: Person[]): Person[] =>
  config.tenancy === 'single' ? people.map(({ tenantId: _t, ...p }) => p) : people;

function simulate(
  config: PolicyConfig,
  crowd: Person[],
  starts: Start[],
  steps: Step[],
  tf: string[],
): Map<string, State> {
  const policy = createPolicy(config);
  const people = placed(config, crowd);
  const ctx = { now: NOW, tenantFeatures: tf };
  const state = new Map<string, State>();
  people.forEach((p, i) => {
    const s = starts[i]!;
    if (state.has(key(p))) return;
    const devices = s.methods.map((method, n) => ({ method, id: `${method}-${n}`, addedBy: key(p) }));
    state.set(key(p), {
      useTwoFactor: s.useTwoFactor,
      mayToggle: s.mayToggle,
      enrollment: devices.length > 0 ? 'active' : 'none',
      devices,
      backupCodesRemaining: devices.length > 0 ? 10 : 0,
    });
  });
  const subject = (p: Person): Subject => subjectOf(p, state.get(key(p))!, config);
  const actorOf = (p: Person, fresh: boolean): Actor => ({
    id: p.id,
    roles: p.roles,
    ...(p.tenantId === undefined ? {} : { tenantId: p.tenantId }),
    reauthenticatedAt: fresh ? NOW : null,
    secondFactor: fresh ? { at: NOW, method: 'totp' } : null,
  });
  const turnOff = (s: State): void => {
    s.useTwoFactor = false;
    s.enrollment = 'none';
    s.devices = [];
    s.backupCodesRemaining = 0;
  };

  for (const st of steps) {
    const a = people[st.actor % people.length]!;
    const t = people[st.target % people.length]!;
    const actor = actorOf(a, st.fresh);
    const before = subject(t);
    const s = state.get(key(t))!;
    const snapshot = JSON.stringify(s);
    const wasRequired = policy.loginRequirement(before, ctx).kind !== 'none';
    const add = (): void => {
      s.devices = [
        ...s.devices,
        { method: st.method, id: `${st.method}-${s.devices.length}`, addedBy: key(a) },
      ];
      s.enrollment = 'active';
    };
    switch (st.kind) {
      case 'setUseTwoFactor':
        if (policy.canSetUseTwoFactor(actor, before, st.flag, ctx).allowed) {
          if (st.flag) s.useTwoFactor = true;
          else turnOff(s);
        }
        break;
      case 'setMayToggle':
        if (policy.canSetMayToggle(actor, before, ctx).allowed) s.mayToggle = st.flag;
        break;
      case 'skipSetup':
        if (policy.canSkipSetup(actor, before, ctx).allowed) turnOff(s);
        break;
      case 'reset':
      case 'resetOwn': {
        const ask = st.kind === 'reset' ? policy.canReset : policy.canResetOwn;
        if (ask(actor, before, ctx).allowed) {
          s.enrollment = 'reset';
          s.devices = [];
          s.backupCodesRemaining = 0;
        }
        break;
      }
      case 'enroll':
        if (policy.canEnroll(actor, before, st.method, ctx).allowed) add();
        break;
      case 'addMethod':
        if (policy.canAddMethod(actor, before, st.method, ctx).allowed) add();
        break;
      case 'removeDevice':
        if (policy.canRemoveDevice(actor, before, { method: st.method }, ctx).allowed) {
          const at = s.devices.findIndex((d) => d.method === st.method);
          s.devices = s.devices.filter((_, i) => i !== at);
          if (s.devices.length === 0) turnOff(s);
        }
        break;
      case 'replaceDevice':
        if (policy.canReplaceDevice(actor, before, { method: st.method }, ctx).allowed) {
          const at = s.devices.findIndex((d) => d.method === st.method);
          s.devices = s.devices.map((d, i) =>
            i === at ? { method: d.method, id: `${d.method}-new-${i}`, addedBy: key(a) } : d,
          );
        }
        break;
    }

    // (1) Devices are only ever added by their owner.
    for (const d of s.devices) expect(d.addedBy).toBe(key(t));

    const changed = JSON.stringify(s) !== snapshot;
    const isSelf = key(a) === key(t);
    const tenantAdmin = a.roles.includes('admin') && a.tenantId === t.tenantId;
    const support = (config.admin?.supportRoles ?? []).some((r) => a.roles.includes(r));
    // (3) Only the user, an admin of his tenant, or support (reset only) changes anything.
    if (changed && !isSelf) {
      expect(tenantAdmin || (support && st.kind === 'reset')).toBe(true);
    }

    // (2) Lifting a requirement needs an entitlement stated from the raw configuration.
    const lifted = wasRequired && policy.loginRequirement(subject(t), ctx).kind === 'none';
    if (lifted) {
      const locked =
        (config.requirement?.roles ?? []).some(
          (r) => r.require && !r.waivable && r.roles.some((x) => t.roles.includes(x)),
        ) ||
        (config.requirement?.features ?? []).some((r) => r.require && !r.waivable && tf.includes(r.feature));
      expect(locked).toBe(false);
      const selfMayToggle =
        (config.admin?.alwaysMayToggle === true && t.roles.includes('admin')) ||
        (before.settings.mayToggle ?? config.self?.defaultMayToggle ?? true);
      const selfEntitled =
        isSelf && selfMayToggle && (config.self?.toggle === true || config.self?.skipSetup === true);
      const adminEntitled = !isSelf && tenantAdmin && config.admin?.disableFor === true;
      expect(selfEntitled || adminEntitled).toBe(true);
    }
  }
  return state;
}

describe('property: no sequence of actions breaks ownership or lifts a requirement without right', () => {
  it.each(POLICIES)('%s', (_name, config) => {
    fc.assert(
      fc.property(
        fc.array(person, { minLength: 6, maxLength: 6 }),
        fc.array(initial, { minLength: 6, maxLength: 6 }),
        fc.array(step, { minLength: 1, maxLength: 40 }),
        features,
        (people, starts, steps, tf) => {
          simulate(config, people, starts, steps, tf);
        },
      ),
      { seed: 9, numRuns: 300 },
    );
  });

  it('K1: under "admin ⇒ 2FA" no sequence of actions ever lets an admin log in without a second factor', () => {
    fc.assert(
      fc.property(
        fc.array(person, { minLength: 6, maxLength: 6 }),
        fc.array(initial, { minLength: 6, maxLength: 6 }),
        fc.array(step, { minLength: 1, maxLength: 40 }),
        (people, starts, steps) => {
          const state = simulate(adminMustUse2fa, people, starts, steps, []);
          const policy = createPolicy(adminMustUse2fa);
          for (const p of people.filter((x) => x.roles.includes('admin'))) {
            const subject = subjectOf(p, state.get(key(p))!, adminMustUse2fa);
            expect(policy.loginRequirement(subject, { now: NOW }).kind).not.toBe('none');
          }
        },
      ),
      { seed: 9, numRuns: 300 },
    );
  });
});
