/**
 * @module
 * Verified and switched on are two states of an out-of-band device (an e-mail address, a phone number, a
 * Telegram chat). `switchOffDevice` keeps the device, verified and listed, but no login uses it and it no
 * longer counts as 2FA ("Disable" next to a method; a Telegram chat stays linked). `switchOnDevice` makes
 * it a second factor again without a new code ("Enable authentication" for a number already verified).
 * Each asks the policy the question of the change it amounts to: switching off is removing a device,
 * switching on is adding a method. An authenticator app is removed, not switched off: its secret goes.
 */

import type { Method } from '@secondfactor/core';
import type { Actor, PolicyContext } from '@secondfactor/policy';
import type { CredentialRecord } from '@secondfactor/store';
import { askSetUp, issueFirstBackupCodes } from './enrollment';
import { assertAllowed, deviceNotFound, invalidArgument } from './errors';
import { type EventScope, emit } from './events';
import { patchSettings } from './manage';
import { isOobMethod } from './oob/codes';
import type { ServiceContext } from './options';
import { checkChangeOptions, type SessionChange, withRevocation } from './sessions';
import { checkActor, type LoadedSubject, loadSubject, policyContext } from './subject';

/**
 * What `switchOffDevice` and `switchOnDevice` take.
 *
 * @example
 * ```ts
 * import type { SwitchDeviceInput } from '@secondfactor/service';
 *
 * const input: SwitchDeviceInput = { deviceId: device.id };
 * ```
 */
export interface SwitchDeviceInput {
  /** The id of one of the actor's own e-mail, SMS, voice or Telegram devices (`TwoFactorDevice.id`). */
  deviceId: string;
  /** The host's id of the request's session, kept when the change signs the other sessions out (I5). */
  sessionId?: string | undefined;
}

/**
 * What `switchOnDevice` answers. Switching on proves nothing about the user (no code was entered), so
 * unlike a confirmed set-up it carries no second-factor proof for the session.
 *
 * @example
 * ```ts
 * import type { DeviceSwitchedOn } from '@secondfactor/service';
 *
 * const on: DeviceSwitchedOn = await twoFactor.switchOnDevice(actor, { deviceId, sessionId });
 * if (on.sessionEpoch !== null) session.sessionEpoch = on.sessionEpoch;
 * ```
 */
export interface DeviceSwitchedOn {
  credentialId: string;
  method: Method;
  /** The first backup codes when the policy issues them and the user had none; `null` otherwise. */
  backupCodes: string[] | null;
  /** The user must confirm the codes are saved. */
  backupCodesAcknowledgementRequired: boolean;
  /** The user's new session epoch when switching on signed his other sessions out; `null` otherwise. */
  sessionEpoch: number | null;
}

/** Whether a device of this kind can be switched off and on: the kinds with an address. @internal */
export const isSwitchable = (credential: CredentialRecord): boolean =>
  (isOobMethod(credential.kind) || credential.kind === 'push') && credential.address !== undefined;

/** A switch request, checked, with the actor's facts and his device. */
interface Opened {
  actor: Actor;
  deviceId: string;
  sessionId: string | undefined;
  now: number;
  loaded: LoadedSubject;
  policyCtx: PolicyContext;
  device: CredentialRecord;
  scope: EventScope;
}

/**
 * Checks the request and reads the actor's facts and the device he names: one of his own (another
 * user's is not found, H3), one that can be switched.
 */
async function open(ctx: ServiceContext, actorInput: unknown, input: unknown): Promise<Opened> {
  const actor = checkActor(actorInput);
  if (typeof input !== 'object' || input === null) throw invalidArgument('input', 'must be an object');
  const { deviceId, sessionId: session } = input as Record<string, unknown>;
  if (typeof deviceId !== 'string' || deviceId === '' || deviceId.length > 255) {
    throw invalidArgument('input.deviceId', 'must be a device id');
  }
  const { sessionId } = checkChangeOptions(session === undefined ? undefined : { sessionId: session });
  const now = ctx.now();
  const [loaded, policyCtx] = await Promise.all([
    loadSubject(ctx.store, actor),
    policyContext(ctx, actor, now),
  ]);
  const device = loaded.all.find((credential) => credential.id === deviceId);
  if (device === undefined) throw deviceNotFound();
  if (!isSwitchable(device)) {
    throw invalidArgument('input.deviceId', 'names an authenticator app: remove it instead (removeDevice)');
  }
  const scope = { userId: actor.id, tenantId: actor.tenantId, actorId: actor.id };
  return { actor, deviceId, sessionId, now, loaded, policyCtx, device, scope };
}

/** @internal See `TwoFactor.switchOffDevice`. */
export async function switchOffDevice(
  ctx: ServiceContext,
  actorInput: Actor,
  input: SwitchDeviceInput,
): Promise<SessionChange> {
  // Only the owner switches his devices (H3): the subject is the actor, and the store reads his only.
  const { actor, deviceId, sessionId, now, loaded, policyCtx, device, scope } = await open(
    ctx,
    actorInput,
    input,
  );
  if (device.switchedOffAt !== undefined) return { sessionEpoch: null };
  // From the login's side a device switched off is a device removed: the same question, the same proofs
  // (H5 for the last one, which switches 2FA off).
  assertAllowed(
    ctx.policy.canRemoveDevice(actor, loaded.subject, { method: device.kind, id: device.id }, policyCtx),
    'switching this device off',
  );
  const lastDevice = loaded.credentials.length === 1;
  const revoke = ctx.policy.settings.sessions.revokeOthersOnDisable;
  const { change, announce } = await withRevocation(ctx, scope, revoke, 'disabled', sessionId, async () => {
    if (lastDevice) await patchSettings(ctx, actor, now, { useTwoFactor: false });
    if (!(await ctx.store.switchCredential(actor.id, deviceId, now))) throw deviceNotFound();
  });
  ctx.credentials.delete(actor.id, deviceId);
  await emit(ctx, scope, 'device.switched_off', now, {
    method: device.kind,
    credentialId: device.id,
    lastDevice,
  });
  await announce();
  return change;
}

/** @internal See `TwoFactor.switchOnDevice`. */
export async function switchOnDevice(
  ctx: ServiceContext,
  actorInput: Actor,
  input: SwitchDeviceInput,
): Promise<DeviceSwitchedOn> {
  const { actor, deviceId, sessionId, now, loaded, policyCtx, device, scope } = await open(
    ctx,
    actorInput,
    input,
  );
  if (device.switchedOffAt === undefined) {
    throw invalidArgument('input.deviceId', 'names a device that is switched on already');
  }
  // Switching on is adding the method: the policy's set-up question (one method at a time in the
  // exclusive mode, the device limit, the proofs an active 2FA asks for).
  askSetUp(ctx, actor, loaded, undefined, policyCtx, device.kind);
  const lifecycle = ctx.policy.lifecycle();
  const { change, announce } = await withRevocation(
    ctx,
    scope,
    lifecycle.revokeOtherSessionsOnEnable,
    'enabled',
    sessionId,
    async () => {
      if (!(await ctx.store.switchCredential(actor.id, deviceId, null))) throw deviceNotFound();
      await patchSettings(ctx, actor, now, { enrollmentResetAt: null, graceStartedAt: null });
    },
  );
  await emit(ctx, scope, 'device.switched_on', now, { method: device.kind, credentialId: device.id });
  const backupCodes = await issueFirstBackupCodes(ctx, scope, now);
  await announce();
  return {
    credentialId: device.id,
    method: device.kind,
    backupCodes,
    backupCodesAcknowledgementRequired: backupCodes !== null && lifecycle.backupCodesAcknowledgementRequired,
    sessionEpoch: change.sessionEpoch,
  };
}
