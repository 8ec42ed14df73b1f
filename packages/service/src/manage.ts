/**
 * @module
 * Settings and administration: the "Use 2FA" and "Can toggle 2FA" switches, skipping the first-login
 * set-up, resets, the user's devices and the status shown on a profile page or in an admin's user table.
 * Every call asks its policy question first, on facts read from the store, and refuses with
 * `policy_denied` and the decision's reason; the service adds no rule of its own.
 */
import type { Method } from '@secondfactor/core';
import type { Actor, Decision, PolicyContext, Subject } from '@secondfactor/policy';
import {
  type CredentialRecord,
  MAX_PAGE_SIZE,
  type ResetUserResult,
  type UserSettings,
} from '@secondfactor/store';
import { assertAllowed, deviceNotFound, invalidArgument } from './errors';
import { emit } from './events';
import type { ServiceContext } from './options';
import {
  checkActor,
  checkUser,
  type LoadedSubject,
  loadSubject,
  policyContext,
  type TwoFactorUser,
} from './subject';

/** One of a user's confirmed devices, as a profile page lists it. No secret, address or step. */
export interface TwoFactorDevice {
  /** The device's id: pass it to `removeDevice`. */
  id: string;
  method: Method;
  /** The name the user gave it ("Work phone"). */
  label: string;
  /** When it was confirmed (Unix ms). */
  createdAt: number;
  /** When a code of it last passed (Unix ms); `null` before the first use. */
  lastUsedAt: number | null;
}

/** A user's 2FA on his profile page: `status(actor, subject)`. */
export interface TwoFactorStatus {
  userId: string;
  /** At least one confirmed device. */
  hasTwoFactor: boolean;
  /** The methods of his devices, each once. */
  methods: Method[];
  devices: TwoFactorDevice[];
  /** Unused backup codes of his current set; 0 without a set. */
  backupCodesRemaining: number;
  /** He confirmed he saved the current set (after it was issued); `false` without a set. */
  backupCodesAcknowledged: boolean;
  /** The "Use 2FA" switch: `true` yes, `false` no, `null` the policy's rules decide. */
  useTwoFactor: boolean | null;
  /** "Can toggle 2FA" as stored; `null` when never set (the policy's default applies). */
  mayToggle: boolean | null;
}

/** One row of the admin's user table: `listStatus(actor, subjects)`. */
export interface TwoFactorStatusRow {
  userId: string;
  hasTwoFactor: boolean;
  methods: Method[];
  /** Confirmed devices. */
  devices: number;
  backupCodesRemaining: number;
  useTwoFactor: boolean | null;
  mayToggle: boolean | null;
}

/** What `removeDevice` takes. */
export interface RemoveDeviceInput {
  /** The id of one of the actor's own devices (`TwoFactorDevice.id`). */
  deviceId: string;
}

/** The subject, his facts, and the policy's context for him. */
interface Asked {
  loaded: LoadedSubject;
  policyCtx: PolicyContext;
  now: number;
}

async function facts(ctx: ServiceContext, user: TwoFactorUser): Promise<Asked> {
  const now = ctx.now();
  const [loaded, policyCtx] = await Promise.all([
    loadSubject(ctx.store, user),
    policyContext(ctx, user, now),
  ]);
  return { loaded, policyCtx, now };
}

function checkBooleanValue(value: unknown): boolean {
  if (typeof value !== 'boolean') throw invalidArgument('value', 'must be a boolean');
  return value;
}

/**
 * Writes the user's settings record with `change` applied, keeping every other field as read (or, for a
 * user without a record, the defaults `startLogin` writes: no switch, the policy's default "Can toggle").
 * @internal
 */
export async function writeSettings(
  ctx: ServiceContext,
  user: TwoFactorUser,
  stored: UserSettings | null,
  now: number,
  change: Partial<Pick<UserSettings, 'useTwoFactor' | 'mayToggle' | 'backupCodesAcknowledgedAt'>>,
): Promise<void> {
  const graceStartedAt = stored?.graceStartedAt;
  const acknowledgedAt = change.backupCodesAcknowledgedAt ?? stored?.backupCodesAcknowledgedAt;
  await ctx.store.putUserSettings({
    userId: user.id,
    ...(user.tenantId === undefined ? {} : { tenantId: user.tenantId }),
    useTwoFactor: change.useTwoFactor !== undefined ? change.useTwoFactor : (stored?.useTwoFactor ?? null),
    mayToggle: change.mayToggle ?? stored?.mayToggle ?? ctx.policy.settings.self.defaultMayToggle,
    ...(graceStartedAt === undefined ? {} : { graceStartedAt }),
    ...(acknowledgedAt === undefined ? {} : { backupCodesAcknowledgedAt: acknowledgedAt }),
    updatedAt: now,
  });
}

const scopeOf = (actor: Actor, subject: TwoFactorUser) => ({
  userId: subject.id,
  tenantId: subject.tenantId,
  actorId: actor.id,
});

const removedCounts = (removed: ResetUserResult | null) => ({
  removedDevices: removed?.credentials ?? 0,
  removedBackupCodes: removed?.backupCodes ?? 0,
});

/** @internal See `TwoFactor.setUseTwoFactor`. */
export async function setUseTwoFactor(
  ctx: ServiceContext,
  actorInput: Actor,
  subjectInput: TwoFactorUser,
  valueInput: boolean,
): Promise<void> {
  const actor = checkActor(actorInput);
  const user = checkUser('subject', subjectInput);
  const value = checkBooleanValue(valueInput);
  const { loaded, policyCtx, now } = await facts(ctx, user);
  assertAllowed(
    ctx.policy.canSetUseTwoFactor(actor, loaded.subject, value, policyCtx),
    `setting "Use 2FA" to ${value ? 'yes' : 'no'}`,
  );
  // The switch first: a failure before the reset leaves the devices, which still ask for a code.
  await writeSettings(ctx, user, loaded.stored, now, { useTwoFactor: value });
  const removed = value ? null : await ctx.store.resetUser(user.id);
  await emit(ctx, scopeOf(actor, user), 'settings.use_two_factor_changed', now, {
    value,
    ...removedCounts(removed),
  });
}

/** @internal See `TwoFactor.setMayToggle`. */
export async function setMayToggle(
  ctx: ServiceContext,
  actorInput: Actor,
  subjectInput: TwoFactorUser,
  valueInput: boolean,
): Promise<void> {
  const actor = checkActor(actorInput);
  const user = checkUser('subject', subjectInput);
  const value = checkBooleanValue(valueInput);
  const { loaded, policyCtx, now } = await facts(ctx, user);
  assertAllowed(
    ctx.policy.canSetMayToggle(actor, loaded.subject, policyCtx),
    `setting "Can toggle 2FA" to ${value ? 'yes' : 'no'}`,
  );
  await writeSettings(ctx, user, loaded.stored, now, { mayToggle: value });
  await emit(ctx, scopeOf(actor, user), 'settings.may_toggle_changed', now, { value });
}

/** @internal See `TwoFactor.skipSetup`. */
export async function skipSetup(ctx: ServiceContext, actorInput: Actor): Promise<void> {
  const actor = checkActor(actorInput);
  const { loaded, policyCtx, now } = await facts(ctx, actor);
  assertAllowed(ctx.policy.canSkipSetup(actor, loaded.subject, policyCtx), 'skipping the set-up');
  const requirement = ctx.policy.loginRequirement(loaded.subject, policyCtx);
  // "Disable 2FA" on the set-up screen is the user's own "Use 2FA: no".
  await writeSettings(ctx, actor, loaded.stored, now, { useTwoFactor: false });
  await emit(ctx, scopeOf(actor, actor), 'setup.skipped', now, { reason: requirement.reason });
}

async function resetWith(
  ctx: ServiceContext,
  actor: Actor,
  user: TwoFactorUser,
  own: boolean,
  question: (subject: Subject, policyCtx: PolicyContext) => Decision,
): Promise<void> {
  const { loaded, policyCtx, now } = await facts(ctx, user);
  assertAllowed(question(loaded.subject, policyCtx), own ? 'resetting your own 2FA' : 'resetting 2FA');
  const removed = await ctx.store.resetUser(user.id);
  await emit(ctx, scopeOf(actor, user), 'two_factor.reset', now, { own, ...removedCounts(removed) });
}

/** @internal See `TwoFactor.reset`. */
export async function reset(
  ctx: ServiceContext,
  actorInput: Actor,
  subjectInput: TwoFactorUser,
): Promise<void> {
  const actor = checkActor(actorInput);
  const user = checkUser('subject', subjectInput);
  await resetWith(ctx, actor, user, false, (subject, policyCtx) =>
    ctx.policy.canReset(actor, subject, policyCtx),
  );
}

/** @internal See `TwoFactor.resetOwn`. */
export async function resetOwn(ctx: ServiceContext, actorInput: Actor): Promise<void> {
  const actor = checkActor(actorInput);
  await resetWith(ctx, actor, actor, true, (subject, policyCtx) =>
    ctx.policy.canResetOwn(actor, subject, policyCtx),
  );
}

const deviceOf = (credential: CredentialRecord): TwoFactorDevice => ({
  id: credential.id,
  method: credential.kind,
  label: credential.label,
  createdAt: credential.createdAt,
  lastUsedAt: credential.lastUsedAt ?? null,
});

const uniqueMethods = (methods: readonly Method[]): Method[] => [...new Set(methods)];

/** @internal See `TwoFactor.listDevices`. */
export async function listDevices(
  ctx: ServiceContext,
  actorInput: Actor,
  subjectInput: TwoFactorUser,
): Promise<TwoFactorDevice[]> {
  return (await status(ctx, actorInput, subjectInput)).devices;
}

/** @internal See `TwoFactor.removeDevice`. */
export async function removeDevice(
  ctx: ServiceContext,
  actorInput: Actor,
  input: RemoveDeviceInput,
): Promise<void> {
  const actor = checkActor(actorInput);
  if (typeof input !== 'object' || input === null) throw invalidArgument('input', 'must be an object');
  const { deviceId } = input;
  if (typeof deviceId !== 'string' || deviceId === '') {
    throw invalidArgument('input.deviceId', 'must be a non-empty string');
  }
  // Only the owner removes a device (H3): the subject is the actor, and the store reads his devices only.
  const { loaded, policyCtx, now } = await facts(ctx, actor);
  const credential = loaded.credentials.find((c) => c.id === deviceId);
  if (credential === undefined) throw deviceNotFound();
  assertAllowed(
    ctx.policy.canRemoveDevice(
      actor,
      loaded.subject,
      { method: credential.kind, id: credential.id },
      policyCtx,
    ),
    'removing this device',
  );
  const lastDevice = loaded.credentials.length === 1;
  let removed: ResetUserResult | null = null;
  if (lastDevice) {
    // The policy answered this as switching 2FA off (canDisable): the backup codes go with the device.
    await writeSettings(ctx, actor, loaded.stored, now, { useTwoFactor: false });
    removed = await ctx.store.resetUser(actor.id);
  } else if (!(await ctx.store.deleteCredential(actor.id, deviceId))) {
    throw deviceNotFound();
  }
  await emit(ctx, scopeOf(actor, actor), 'device.removed', now, {
    method: credential.kind,
    credentialId: credential.id,
    lastDevice,
    removedBackupCodes: removed?.backupCodes ?? 0,
  });
}

/** @internal See `TwoFactor.status`. */
export async function status(
  ctx: ServiceContext,
  actorInput: Actor,
  subjectInput: TwoFactorUser,
): Promise<TwoFactorStatus> {
  const actor = checkActor(actorInput);
  const user = checkUser('subject', subjectInput);
  const { loaded, policyCtx } = await facts(ctx, user);
  assertAllowed(ctx.policy.canViewTwoFactorStatus(actor, loaded.subject, policyCtx), 'viewing 2FA status');
  const set = loaded.backupCodes;
  const acknowledgedAt = loaded.stored?.backupCodesAcknowledgedAt;
  return {
    userId: user.id,
    hasTwoFactor: loaded.credentials.length > 0,
    methods: uniqueMethods(loaded.credentials.map((c) => c.kind)),
    devices: loaded.credentials.map(deviceOf),
    backupCodesRemaining: set?.remaining ?? 0,
    // An acknowledgement counts for the set issued before it only: a new set must be confirmed again.
    backupCodesAcknowledged: set !== null && acknowledgedAt !== undefined && acknowledgedAt >= set.createdAt,
    useTwoFactor: loaded.stored?.useTwoFactor ?? null,
    mayToggle: loaded.stored?.mayToggle ?? null,
  };
}

/** @internal See `TwoFactor.listStatus`. */
export async function listStatus(
  ctx: ServiceContext,
  actorInput: Actor,
  subjectsInput: readonly TwoFactorUser[],
): Promise<TwoFactorStatusRow[]> {
  const actor = checkActor(actorInput);
  if (!Array.isArray(subjectsInput) || subjectsInput.length > MAX_PAGE_SIZE) {
    throw invalidArgument('subjects', `must be an array of at most ${MAX_PAGE_SIZE} users`);
  }
  const users = subjectsInput.map((subject, index) => checkUser(`subjects[${index}]`, subject));
  if (users.length === 0) return [];
  const ids = [...new Set(users.map((u) => u.id))];
  const now = ctx.now();
  const [summaries, settings] = await Promise.all([
    ctx.store.getTwoFactorSummaries(ids),
    Promise.all(ids.map((id) => ctx.store.getUserSettings(id))),
  ]);
  const summaryOf = new Map(summaries.map((s) => [s.userId, s]));
  const settingsOf = new Map(ids.map((id, i) => [id, settings[i] ?? null]));
  const contexts = new Map<string | undefined, Promise<PolicyContext>>();
  const rows: TwoFactorStatusRow[] = [];
  for (const user of users) {
    const summary = summaryOf.get(user.id);
    const stored = settingsOf.get(user.id) ?? null;
    const methods = uniqueMethods(summary?.methods ?? []);
    const backupCodesRemaining = summary?.backupCodesRemaining ?? 0;
    const subject: Subject = {
      ...user,
      settings: {
        useTwoFactor: stored?.useTwoFactor ?? null,
        mayToggle: stored?.mayToggle ?? null,
        enrollment: methods.length > 0 ? 'active' : 'none',
        devices: methods.map((method) => ({ method })),
        backupCodesRemaining,
        graceStartedAt: stored?.graceStartedAt ?? null,
      },
    };
    let policyCtx = contexts.get(user.tenantId);
    if (policyCtx === undefined) {
      policyCtx = policyContext(ctx, user, now);
      contexts.set(user.tenantId, policyCtx);
    }
    // One refused subject refuses the whole list: a table never shows a row the actor may not see.
    assertAllowed(
      ctx.policy.canViewTwoFactorStatus(actor, subject, await policyCtx),
      'viewing 2FA status',
      user.id,
    );
    rows.push({
      userId: user.id,
      hasTwoFactor: methods.length > 0,
      methods,
      devices: summary?.credentials ?? 0,
      backupCodesRemaining,
      useTwoFactor: subject.settings.useTwoFactor,
      mayToggle: subject.settings.mayToggle,
    });
  }
  return rows;
}
