/**
 * The accountAdmin product at the service level: an administrator switches "Use 2FA" on for a user, the
 * user sets up at his next login, later logins ask for a code, the administrator resets him and he sets
 * up again; then each admin control (Use 2FA, Can toggle, skip set-up, resets, devices) allowed and refused.
 */
import { accountAdmin } from '@secondfactor/policy';
import { describe, expect, it } from 'vitest';
import {
  appCode,
  describeEachStore,
  type Harness,
  harness,
  rejection,
  STEP_MS,
  suiteStore,
  testClock,
} from './fixtures';

const TENANT = 'acme';
let next = 0;
const member = () => ({ id: `member-${++next}`, roles: [] as string[], tenantId: TENANT });
/** An actor with a recent password (and, when given, a recent second factor). */
const acting = (
  h: Harness,
  user: { id: string; roles: string[]; tenantId: string },
  secondFactor = false,
) => ({
  ...user,
  reauthenticatedAt: h.clock(),
  secondFactor: secondFactor ? { at: h.clock(), method: 'totp' as const } : null,
});
const stale = (user: { id: string; roles: string[]; tenantId: string }) => ({
  ...user,
  reauthenticatedAt: null,
  secondFactor: null,
});

async function setUp(h: Harness, user: ReturnType<typeof member>) {
  const actor = stale(user);
  const start = await h.twoFactor.beginEnrollment(actor, { method: 'totp' });
  await h.twoFactor.confirmEnrollment(actor, {
    enrollmentId: start.enrollmentId,
    code: appCode(start.manualKey, h.clock()),
  });
  return start.manualKey;
}

describeEachStore('accountAdmin story', (openStore) => {
  const store = suiteStore(openStore);
  it('Use 2FA by an admin → set-up at next login → challenges → admin reset → set-up again', async () => {
    const h = await harness({ store: store(), policy: accountAdmin, clock: testClock() });
    const admin = { id: 'admin-1', roles: ['admin'], tenantId: TENANT };
    const user = member();

    expect((await h.twoFactor.startLogin(user)).state).toBe('done');
    await h.twoFactor.setUseTwoFactor(acting(h, admin), user, true);
    const first = await h.twoFactor.startLogin(user);
    expect([first.state, first.reason]).toEqual(['enroll', 'required_by_user_setting']);

    const key = await setUp(h, user);
    h.clock.advance(STEP_MS);
    const login = await h.twoFactor.startLogin(user);
    expect(login.state).toBe('challenge');
    const proof = await h.twoFactor.verifyLogin({
      loginId: login.loginId ?? '',
      method: 'totp',
      code: appCode(key, h.clock()),
    });
    expect(proof.userId).toBe(user.id);

    await h.twoFactor.reset(acting(h, admin), user);
    const status = await h.twoFactor.status(acting(h, admin), user);
    expect(status).toMatchObject({ hasTwoFactor: false, devices: [], useTwoFactor: true });
    // The switch is kept, so the next login asks for a new set-up.
    const again = await h.twoFactor.startLogin(user);
    expect(again.state).toBe('enroll');
    h.clock.advance(STEP_MS);
    await setUp(h, user);
    expect((await h.twoFactor.startLogin(user)).state).toBe('challenge');

    const types = h.events.filter((e) => e.userId === user.id).map((e) => e.type);
    expect(types).toContain('settings.use_two_factor_changed');
    expect(types).toContain('two_factor.reset');
    const resetEvent = h.events.find((e) => e.type === 'two_factor.reset');
    expect(resetEvent).toMatchObject({
      actorId: admin.id,
      userId: user.id,
      data: { own: false, removedDevices: 1 },
    });
    const audit = await h.store.listAudit({ userId: user.id, limit: 100 });
    expect(audit.map((e) => e.type)).toContain('two_factor.reset');
  });
});

describe('accountAdmin controls', () => {
  const admin = { id: 'admin-9', roles: ['admin'], tenantId: TENANT };

  it('setUseTwoFactor: an admin switches it off (devices removed); a member may not; a stale admin must re-enter the password', async () => {
    const h = await harness({ policy: accountAdmin });
    const user = member();
    await h.twoFactor.setUseTwoFactor(acting(h, admin), user, true);
    await setUp(h, user);
    const other = member();
    const denied = await rejection(h.twoFactor.setUseTwoFactor(acting(h, other), user, false));
    expect([denied.code, denied.detail?.reason]).toEqual(['policy_denied', 'not_admin']);
    const stalled = await rejection(h.twoFactor.setUseTwoFactor(stale(admin), user, false));
    expect(stalled.detail?.reason).toBe('fresh_auth_required');
    expect(stalled.detail?.policyDetail).toMatchObject({ proof: 'password' });

    await h.twoFactor.setUseTwoFactor(acting(h, admin), user, false);
    expect(await h.twoFactor.listDevices(acting(h, admin), user)).toEqual([]);
    expect(h.events.at(-1)).toMatchObject({
      type: 'settings.use_two_factor_changed',
      data: { value: false, removedDevices: 1 },
    });
    expect((await h.twoFactor.startLogin(user)).state).toBe('done');
    const bad = await rejection(h.twoFactor.setUseTwoFactor(acting(h, admin), user, 'no' as never));
    expect(bad.code).toBe('invalid_argument');
  });

  it('setMayToggle: an admin takes the right away (the user can no longer switch 2FA off); not on himself', async () => {
    const h = await harness({ policy: accountAdmin });
    const user = member();
    await h.twoFactor.setMayToggle(acting(h, admin), user, false);
    expect((await h.twoFactor.status(acting(h, admin), user)).mayToggle).toBe(false);
    expect(h.events.at(-1)).toMatchObject({ type: 'settings.may_toggle_changed', data: { value: false } });
    const own = await rejection(h.twoFactor.setUseTwoFactor(acting(h, user, true), user, true));
    expect(own.detail?.reason).toBe('toggle_not_permitted');

    const self = await rejection(h.twoFactor.setMayToggle(acting(h, admin), admin, true));
    expect([self.code, self.detail?.reason]).toEqual(['policy_denied', 'self_target']);
  });

  it('skipSetup: "Disable 2FA" on the first-login set-up; refused once set up', async () => {
    const h = await harness({ policy: accountAdmin });
    const user = member();
    await h.twoFactor.setUseTwoFactor(acting(h, admin), user, true);
    expect((await h.twoFactor.startLogin(user)).state).toBe('enroll');
    await h.twoFactor.skipSetup(stale(user));
    expect((await h.twoFactor.startLogin(user)).state).toBe('done');
    expect(h.events.at(-2)).toMatchObject({
      type: 'setup.skipped',
      data: { reason: 'required_by_user_setting' },
    });

    const done = member();
    await h.twoFactor.setUseTwoFactor(acting(h, admin), done, true);
    await setUp(h, done);
    const refused = await rejection(h.twoFactor.skipSetup(stale(done)));
    expect([refused.code, refused.detail?.reason]).toEqual(['policy_denied', 'setup_complete']);
  });

  it('status says which switches a page may show: mayEnable, mayDisable and maySkipSetup follow the policy, stale proof included', async () => {
    const h = await harness({ policy: accountAdmin });
    const user = member();
    const flags = async (actor: Parameters<typeof h.twoFactor.status>[0]) => {
      const { mayEnable, mayDisable, maySkipSetup } = await h.twoFactor.status(actor, user);
      return { mayEnable, mayDisable, maySkipSetup };
    };
    // Off, with "Can toggle" by default: he may switch it on; nothing to switch off or skip yet.
    expect(await flags(stale(user))).toEqual({ mayEnable: true, mayDisable: false, maySkipSetup: false });
    // His admin asks for it: at the next login's set-up he may still say no, even before proving again.
    await h.twoFactor.setUseTwoFactor(acting(h, admin), user, true);
    expect(await flags(stale(user))).toEqual({ mayEnable: false, mayDisable: true, maySkipSetup: true });
    // The admin sees his own switch, "Use 2FA" yes or no (both his to set); skipping is the user's alone.
    expect(await flags(acting(h, admin))).toEqual({ mayEnable: true, mayDisable: true, maySkipSetup: false });
    // Set up, then "Can toggle" taken away: no switch is shown to him any more.
    await setUp(h, user);
    expect(await flags(stale(user))).toEqual({ mayEnable: false, mayDisable: true, maySkipSetup: false });
    await h.twoFactor.setMayToggle(acting(h, admin), user, false);
    expect(await flags(stale(user))).toEqual({ mayEnable: false, mayDisable: false, maySkipSetup: false });
    const refused = await rejection(h.twoFactor.setUseTwoFactor(acting(h, user, true), user, false));
    expect(refused.detail?.reason).toBe('toggle_not_permitted');
  });

  it('reset: never one’s own; resetOwn needs a recent second factor', async () => {
    const h = await harness({ policy: accountAdmin });
    await setUp(h, admin);
    const self = await rejection(h.twoFactor.reset(acting(h, admin), admin));
    expect([self.code, self.detail?.reason]).toEqual(['policy_denied', 'self_reset_forbidden']);

    const user = member();
    await setUp(h, user);
    const stalled = await rejection(h.twoFactor.resetOwn(stale(user)));
    expect(stalled.detail?.reason).toBe('fresh_auth_required');
    await h.twoFactor.resetOwn(acting(h, user, true));
    expect((await h.twoFactor.status(stale(user), user)).hasTwoFactor).toBe(false);
    expect(h.events.at(-1)).toMatchObject({
      type: 'two_factor.reset',
      actorId: user.id,
      data: { own: true },
    });
  });

  it('listDevices and status: the owner and his tenant’s admin; not an admin of another tenant', async () => {
    const h = await harness({ policy: accountAdmin });
    const user = member();
    await setUp(h, user);
    const [device] = await h.twoFactor.listDevices(stale(user), user);
    expect(device).toMatchObject({ method: 'totp', label: 'Authenticator app' });
    expect(Object.keys(device ?? {}).sort()).toEqual([
      'createdAt',
      'id',
      'label',
      'lastUsedAt',
      'method',
      'switchedOff',
    ]);
    const seen = await h.twoFactor.status(acting(h, admin), user);
    expect(seen).toMatchObject({
      hasTwoFactor: true,
      methods: ['totp'],
      useTwoFactor: null,
      mayToggle: null,
    });

    const foreign = { id: 'admin-x', roles: ['admin'], tenantId: 'globex' };
    const denied = await rejection(h.twoFactor.listDevices(acting(h, foreign), user));
    expect([denied.code, denied.detail?.reason]).toEqual(['policy_denied', 'different_tenant']);
    const peer = await rejection(h.twoFactor.status(stale(member()), user));
    expect(peer.detail?.reason).toBe('not_admin');
  });

  it('removeDevice: the last device needs password and code and switches 2FA off; unknown ids are not found', async () => {
    const h = await harness({ policy: accountAdmin });
    const user = member();
    await setUp(h, user);
    const [device] = await h.twoFactor.listDevices(stale(user), user);
    const deviceId = device?.id ?? '';
    const stalled = await rejection(h.twoFactor.removeDevice(stale(user), { deviceId }));
    expect([stalled.code, stalled.detail?.reason]).toEqual(['policy_denied', 'fresh_auth_required']);
    // Another user's device answers like a missing one (H3).
    const other = member();
    const foreign = await rejection(h.twoFactor.removeDevice(acting(h, other, true), { deviceId }));
    expect([foreign.code, foreign.detail?.reason]).toEqual(['not_found', 'device_not_found']);

    await h.twoFactor.removeDevice(acting(h, user, true), { deviceId });
    expect(await h.twoFactor.status(stale(user), user)).toMatchObject({
      hasTwoFactor: false,
      useTwoFactor: false,
    });
    expect(h.events.at(-1)).toMatchObject({
      type: 'device.removed',
      data: { lastDevice: true, method: 'totp' },
    });
  });
});
