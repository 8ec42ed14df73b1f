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
  type UserSettingsPatch,
} from '@secondfactor/store';
import { assertAllowed, deviceNotFound, invalidArgument } from './errors';
import { emit, type TwoFactorEvent } from './events';
import { checkName, checkOptionsObject, optionalTime } from './input';
import { isOobMethod } from './oob/codes';
import { addressHint } from './oob/hint';
import type { ServiceContext } from './options';
import { chatHint } from './push/hint';
import {
  checkChangeOptions,
  type SessionChange,
  type SessionChangeOptions,
  withRevocation,
} from './sessions';
import {
  checkActor,
  checkProofsAt,
  checkTenancy,
  checkUser,
  type LoadedSubject,
  loadSubject,
  policyContext,
  type TwoFactorUser,
} from './subject';

/**
 * One of a user's confirmed devices, as a profile page lists it. No secret, full address or step.
 *
 * @example
 * ```ts
 * import type { TwoFactorDevice } from '@secondfactor/service';
 *
 * const devices: TwoFactorDevice[] = await twoFactor.listDevices(actor, actor);
 * const rows = devices.map((device) => ({ id: device.id, name: device.label, lastUsed: device.lastUsedAt ?? 'never' }));
 * ```
 */
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
  /** E-mail, SMS and voice: the masked address ("Change number" shows which), never the full one. */
  hint?: string | undefined;
  /**
   * Switched off by its owner (`switchOffDevice`): still verified and listed, but no login uses it.
   * Only e-mail, SMS, voice and Telegram devices are ever switched off.
   */
  switchedOff: boolean;
}

/**
 * A user's 2FA on his profile page: `status(actor, subject)`.
 *
 * @example
 * ```ts
 * import type { TwoFactorStatus } from '@secondfactor/service';
 *
 * const status: TwoFactorStatus = await twoFactor.status(actor, actor);
 * const warnFewBackupCodes = status.hasTwoFactor && status.backupCodesRemaining < 3;
 * const showDisableButton = status.mayDisable;
 * ```
 */
export interface TwoFactorStatus {
  userId: string;
  /** At least one confirmed device switched on. */
  hasTwoFactor: boolean;
  /** The methods of his devices switched on, each once. */
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
  /**
   * The policy lets this actor switch the user's "Use 2FA" on (`canSetUseTwoFactor(…, true)`), now or once
   * he proves himself again: whether to show "Enable two-factor authentication". The call still asks.
   */
  mayEnable: boolean;
  /** The same for switching it off (`canSetUseTwoFactor(…, false)`): whether to show "Disable 2FA". */
  mayDisable: boolean;
  /**
   * The policy lets the actor turn down the set-up asked at his first login (`canSkipSetup`), now or once
   * he proves himself again: whether the set-up screen shows "Disable 2FA".
   */
  maySkipSetup: boolean;
}

// What a page may offer: allowed, or allowed once the actor proves himself again.
const offered = (decision: Decision): boolean =>
  decision.allowed || decision.reason === 'fresh_auth_required';

/**
 * One row of the admin's user table: `listStatus(actor, subjects)`.
 *
 * @example
 * ```ts
 * import type { TwoFactorStatusRow } from '@secondfactor/service';
 *
 * const rows: TwoFactorStatusRow[] = await twoFactor.listStatus(admin, page.map((u) => ({ id: u.id, roles: u.roles })));
 * const cells = rows.map((row) => [row.userId, row.hasTwoFactor ? row.methods.join(', ') : 'off', row.devices]);
 * ```
 */
export interface TwoFactorStatusRow {
  userId: string;
  hasTwoFactor: boolean;
  methods: Method[];
  /** Confirmed devices, those switched off included (`hasTwoFactor` counts the ones switched on). */
  devices: number;
  backupCodesRemaining: number;
  useTwoFactor: boolean | null;
  mayToggle: boolean | null;
}

/**
 * What `removeDevice` takes.
 *
 * @example
 * ```ts
 * import type { RemoveDeviceInput } from '@secondfactor/service';
 *
 * const input: RemoveDeviceInput = { deviceId: body.deviceId };
 * await twoFactor.removeDevice({ ...actor, secondFactor: session.secondFactor }, input, { sessionId: session.id });
 * ```
 */
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
 * Changes some of the user's settings in the store's one atomic step (fields not named keep their
 * value, so two changes of different fields from two requests both land). @internal
 */
export async function patchSettings(
  ctx: ServiceContext,
  user: TwoFactorUser,
  now: number,
  patch: UserSettingsPatch,
): Promise<void> {
  await ctx.store.updateUserSettings(user.id, patch, {
    now,
    ...(user.tenantId === undefined ? {} : { tenantId: user.tenantId }),
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
  options?: SessionChangeOptions,
): Promise<SessionChange> {
  const actor = checkActor(actorInput);
  const user = checkUser('subject', subjectInput);
  const value = checkBooleanValue(valueInput);
  const { sessionId } = checkChangeOptions(options);
  const { loaded, policyCtx, now } = await facts(ctx, user);
  assertAllowed(
    ctx.policy.canSetUseTwoFactor(actor, loaded.subject, value, policyCtx),
    `setting "Use 2FA" to ${value ? 'yes' : 'no'}`,
  );
  const scope = scopeOf(actor, user);
  if (value) {
    await patchSettings(ctx, user, now, { useTwoFactor: true });
    await emit(ctx, scope, 'settings.use_two_factor_changed', now, { value, ...removedCounts(null) });
    return { sessionEpoch: null };
  }
  // Switching off: the switch first (a failure before the reset leaves the devices, which still ask for
  // a code), then every device, backup code and trusted browser goes.
  const revoke = ctx.policy.settings.sessions.revokeOthersOnDisable;
  const {
    result: removed,
    change,
    announce,
  } = await withRevocation(ctx, scope, revoke, 'disabled', sessionId, async () => {
    await patchSettings(ctx, user, now, { useTwoFactor: false, enrollmentResetAt: null });
    return ctx.store.resetUser(user.id);
  });
  ctx.credentials.deleteUser(user.id);
  await emit(ctx, scope, 'settings.use_two_factor_changed', now, { value, ...removedCounts(removed) });
  await announce();
  return change;
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
  await patchSettings(ctx, user, now, { mayToggle: value });
  await emit(ctx, scopeOf(actor, user), 'settings.may_toggle_changed', now, { value });
}

/** @internal See `TwoFactor.skipSetup`. */
export async function skipSetup(ctx: ServiceContext, actorInput: Actor): Promise<{ sessionEpoch: number }> {
  const actor = checkActor(actorInput);
  const { loaded, policyCtx, now } = await facts(ctx, actor);
  assertAllowed(ctx.policy.canSkipSetup(actor, loaded.subject, policyCtx), 'skipping the set-up');
  const requirement = ctx.policy.loginRequirement(loaded.subject, policyCtx);
  // "Disable 2FA" on the set-up screen is the user's own "Use 2FA: no"; a reset is then settled too.
  await patchSettings(ctx, actor, now, { useTwoFactor: false, enrollmentResetAt: null });
  await emit(ctx, scopeOf(actor, actor), 'setup.skipped', now, { reason: requirement.reason });
  // The login goes on without a second factor: the session keeps the epoch it starts under.
  return { sessionEpoch: await ctx.store.getSessionEpoch(actor.id) };
}

async function resetWith(
  ctx: ServiceContext,
  actor: Actor,
  user: TwoFactorUser,
  own: boolean,
  sessionId: string | undefined,
  question: (subject: Subject, policyCtx: PolicyContext) => Decision,
): Promise<SessionChange> {
  const { loaded, policyCtx, now } = await facts(ctx, user);
  assertAllowed(question(loaded.subject, policyCtx), own ? 'resetting your own 2FA' : 'resetting 2FA');
  const scope = scopeOf(actor, user);
  const revoke = ctx.policy.settings.sessions.revokeOthersOnDisable;
  const {
    result: removed,
    change,
    announce,
  } = await withRevocation(ctx, scope, revoke, 'reset', sessionId, async () => {
    // The mark first: whatever happens next, the user sets up again at the next login (a device older
    // than the mark no longer counts as set up).
    await patchSettings(ctx, user, now, { enrollmentResetAt: now, graceStartedAt: null });
    return ctx.store.resetUser(user.id);
  });
  ctx.credentials.deleteUser(user.id);
  await emit(ctx, scope, 'two_factor.reset', now, { own, ...removedCounts(removed) });
  await announce();
  return change;
}

/** @internal See `TwoFactor.reset`. */
export async function reset(
  ctx: ServiceContext,
  actorInput: Actor,
  subjectInput: TwoFactorUser,
  options?: SessionChangeOptions,
): Promise<SessionChange> {
  const actor = checkActor(actorInput);
  const user = checkUser('subject', subjectInput);
  const { sessionId } = checkChangeOptions(options);
  return resetWith(ctx, actor, user, false, sessionId, (subject, policyCtx) =>
    ctx.policy.canReset(actor, subject, policyCtx),
  );
}

/** @internal See `TwoFactor.resetOwn`. */
export async function resetOwn(
  ctx: ServiceContext,
  actorInput: Actor,
  options?: SessionChangeOptions,
): Promise<SessionChange> {
  const actor = checkActor(actorInput);
  const { sessionId } = checkChangeOptions(options);
  return resetWith(ctx, actor, actor, true, sessionId, (subject, policyCtx) =>
    ctx.policy.canResetOwn(actor, subject, policyCtx),
  );
}

const deviceOf = (credential: CredentialRecord): TwoFactorDevice => ({
  id: credential.id,
  method: credential.kind,
  label: credential.label,
  createdAt: credential.createdAt,
  lastUsedAt: credential.lastUsedAt ?? null,
  switchedOff: credential.switchedOffAt !== undefined,
  ...(isOobMethod(credential.kind) && credential.address !== undefined
    ? { hint: addressHint(credential.kind, credential.address) }
    : credential.kind === 'push' && credential.address !== undefined
      ? { hint: chatHint(credential.address) }
      : {}),
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
  options?: SessionChangeOptions,
): Promise<SessionChange> {
  const actor = checkActor(actorInput);
  const { sessionId } = checkChangeOptions(options);
  if (typeof input !== 'object' || input === null) throw invalidArgument('input', 'must be an object');
  const { deviceId } = input;
  if (typeof deviceId !== 'string' || deviceId === '') {
    throw invalidArgument('input.deviceId', 'must be a non-empty string');
  }
  // Only the owner removes a device (H3): the subject is the actor, and the store reads his devices only.
  const { loaded, policyCtx, now } = await facts(ctx, actor);
  const credential = loaded.all.find((c) => c.id === deviceId);
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
  // Removing the last device switched on switches 2FA off: every device and backup code goes with it.
  const lastDevice = loaded.credentials.length === 1 && loaded.credentials[0]?.id === deviceId;
  const scope = scopeOf(actor, actor);
  // H9: a removed device passes no later login; the sessions it opened end where the policy says so.
  const revoke = ctx.policy.settings.sessions.revokeOthersOnDisable;
  const {
    result: removed,
    change,
    announce,
  } = await withRevocation(
    ctx,
    scope,
    revoke,
    'device_removed',
    sessionId,
    async (): Promise<ResetUserResult | null> => {
      if (lastDevice) {
        // The policy answered this as switching 2FA off (canDisable): the backup codes go with the device.
        await patchSettings(ctx, actor, now, { useTwoFactor: false, enrollmentResetAt: null });
        return ctx.store.resetUser(actor.id);
      }
      if (!(await ctx.store.deleteCredential(actor.id, deviceId))) throw deviceNotFound();
      return null;
    },
  );
  ctx.credentials.delete(actor.id, deviceId);
  await emit(ctx, scope, 'device.removed', now, {
    method: credential.kind,
    credentialId: credential.id,
    lastDevice,
    removedBackupCodes: removed?.backupCodes ?? 0,
  });
  await announce();
  return change;
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
    devices: loaded.all.map(deviceOf),
    backupCodesRemaining: set?.remaining ?? 0,
    // An acknowledgement counts for the set issued before it only: a new set must be confirmed again.
    backupCodesAcknowledged: set !== null && acknowledgedAt !== undefined && acknowledgedAt >= set.createdAt,
    useTwoFactor: loaded.stored?.useTwoFactor ?? null,
    mayToggle: loaded.stored?.mayToggle ?? null,
    mayEnable: offered(ctx.policy.canSetUseTwoFactor(actor, loaded.subject, true, policyCtx)),
    mayDisable: offered(ctx.policy.canSetUseTwoFactor(actor, loaded.subject, false, policyCtx)),
    maySkipSetup: offered(ctx.policy.canSkipSetup(actor, loaded.subject, policyCtx)),
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
        enrollment:
          methods.length > 0 ? 'active' : stored?.enrollmentResetAt === undefined ? 'none' : 'reset',
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

/**
 * What `renameDevice` takes.
 *
 * @example
 * ```ts
 * import type { RenameDeviceInput } from '@secondfactor/service';
 *
 * const input: RenameDeviceInput = { deviceId: body.deviceId, label: 'Work phone' };
 * await twoFactor.renameDevice(actor, input);
 * ```
 */
export interface RenameDeviceInput {
  /** The id of one of the actor's own devices (`TwoFactorDevice.id`). */
  deviceId: string;
  /** The new name, 1 to 255 characters ("Work phone"). */
  label: string;
}

/** @internal See `TwoFactor.renameDevice`. */
export async function renameDevice(
  ctx: ServiceContext,
  actorInput: Actor,
  input: RenameDeviceInput,
): Promise<void> {
  const actor = checkActor(actorInput);
  checkTenancy(ctx, 'actor', actor);
  checkProofsAt(actor, ctx.now());
  if (typeof input !== 'object' || input === null) throw invalidArgument('input', 'must be an object');
  const { deviceId, label } = input;
  if (typeof deviceId !== 'string' || deviceId === '') {
    throw invalidArgument('input.deviceId', 'must be a non-empty string');
  }
  checkName('input.label', label);
  const now = ctx.now();
  // Only the owner names his devices (H3): the store renames only a credential of the actor's own id.
  // The name changes nothing a verification reads, so no policy question guards it.
  if (!(await ctx.store.renameCredential(actor.id, deviceId, label))) throw deviceNotFound();
  ctx.credentials.delete(actor.id, deviceId);
  await emit(ctx, scopeOf(actor, actor), 'device.renamed', now, { credentialId: deviceId });
}

/**
 * Options of `history`.
 *
 * @example
 * ```ts
 * import type { HistoryOptions } from '@secondfactor/service';
 *
 * const options: HistoryOptions = { since: Date.now() - 30 * 86_400_000, limit: 50 };
 * const events = await twoFactor.history(admin, user, options);
 * ```
 */
export interface HistoryOptions {
  /** Only events at or after this time (Unix ms). */
  since?: number | undefined;
  /**
   * At most this many, newest first, 1 to 1000.
   * @default 100
   */
  limit?: number | undefined;
}

/** @internal See `TwoFactor.history`. */
export async function history(
  ctx: ServiceContext,
  actorInput: Actor,
  subjectInput: TwoFactorUser,
  options?: HistoryOptions,
): Promise<TwoFactorEvent[]> {
  const actor = checkActor(actorInput);
  const user = checkUser('subject', subjectInput);
  const { since: sinceInput, limit } = checkOptionsObject('options', options, ['since', 'limit']);
  if (
    limit !== undefined &&
    (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > MAX_PAGE_SIZE)
  ) {
    throw invalidArgument('options.limit', `must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
  }
  const since = optionalTime('options.since', sinceInput);
  const { loaded, policyCtx } = await facts(ctx, user);
  // The history is part of the 2FA status: whoever may see one may see the other.
  assertAllowed(ctx.policy.canViewTwoFactorStatus(actor, loaded.subject, policyCtx), 'viewing 2FA history');
  const events = await ctx.store.listAudit({
    userId: user.id,
    ...(since === undefined ? {} : { since }),
    ...(limit === undefined ? {} : { limit: limit as number }),
  });
  return events as TwoFactorEvent[];
}
