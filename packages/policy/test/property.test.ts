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
  tenantId: string;
  roles: string[];
}
interface Device {
  method: Method;
  id: string;
  addedBy: string;
}
interface State {
  requiredByAdmin?: boolean | null | undefined;
  mayToggle?: boolean | undefined;
  enrollment: Subject['settings']['enrollment'];
  devices: Device[];
}
const KINDS = [
  'require',
  'disableFor',
  'setMayToggle',
  'enable',
  'disable',
  'skipSetup',
  'reset',
  'resetOwn',
  'enroll',
  'addMethod',
  'removeMethod',
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
  requiredByAdmin: fc.constantFrom(undefined, null, true, false),
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
  requiredByAdmin: boolean | null | undefined;
  mayToggle: boolean | undefined;
  methods: Method[];
}

function simulate(
  config: PolicyConfig,
  people: Person[],
  starts: Start[],
  steps: Step[],
  tf: string[],
): Map<string, State> {
  const policy = createPolicy(config);
  const ctx = { now: NOW, tenantFeatures: tf };
  const state = new Map<string, State>();
  people.forEach((p, i) => {
    const s = starts[i]!;
    if (state.has(key(p))) return;
    const devices = s.methods.map((method, n) => ({ method, id: `${method}-${n}`, addedBy: key(p) }));
    state.set(key(p), {
      requiredByAdmin: s.requiredByAdmin,
      mayToggle: s.mayToggle,
      enrollment: devices.length > 0 ? 'active' : 'none',
      devices,
    });
  });
  const subject = (p: Person): Subject => {
    const s = state.get(key(p))!;
    return {
      id: p.id,
      roles: p.roles,
      tenantId: p.tenantId,
      settings: {
        requiredByAdmin: s.requiredByAdmin,
        mayToggle: s.mayToggle,
        enrollment: s.enrollment,
        devices: s.devices,
      },
    };
  };
  const actorOf = (p: Person, fresh: boolean): Actor => ({
    id: p.id,
    roles: p.roles,
    tenantId: p.tenantId,
    ...(fresh ? { reauthenticatedAt: NOW, secondFactorAt: NOW } : {}),
  });
  const turnOff = (s: State): void => {
    s.requiredByAdmin = false;
    s.enrollment = 'none';
    s.devices = [];
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
      case 'require':
        if (policy.canRequire(actor, before, ctx).allowed) s.requiredByAdmin = true;
        break;
      case 'disableFor':
        if (policy.canDisableFor(actor, before, ctx).allowed) turnOff(s);
        break;
      case 'setMayToggle':
        if (policy.canSetMayToggle(actor, before, ctx).allowed) s.mayToggle = st.flag;
        break;
      case 'enable':
        if (policy.canEnable(actor, before, ctx).allowed) s.requiredByAdmin = true;
        break;
      case 'disable':
        if (policy.canDisable(actor, before, ctx).allowed) turnOff(s);
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
        }
        break;
      }
      case 'enroll':
        if (policy.canEnroll(actor, before, st.method, ctx).allowed) add();
        break;
      case 'addMethod':
        if (policy.canAddMethod(actor, before, st.method, ctx).allowed) add();
        break;
      case 'removeMethod':
        if (policy.canRemoveMethod(actor, before, st.method, ctx).allowed) {
          const at = s.devices.findIndex((d) => d.method === st.method);
          s.devices = s.devices.filter((_, i) => i !== at);
          if (s.devices.length === 0) turnOff(s);
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
      { numRuns: 300 },
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
            const s = state.get(key(p))!;
            const subject: Subject = { id: p.id, roles: p.roles, tenantId: p.tenantId, settings: s };
            expect(policy.loginRequirement(subject, { now: NOW }).kind).not.toBe('none');
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
