/**
 * @module
 * The service's events: one for every state change and every verification outcome, appended to the
 * store's audit log (checklist H8, J2) and then passed to the host's listener. Events carry ids, methods,
 * counts and outcomes only, never a secret, code, digest or token (J1).
 */
import type { Method } from '@secondfactor/core';
import type { AuditEvent } from '@secondfactor/store';
import type { ServiceContext } from './options';

/**
 * Every event type the service emits.
 *
 * | type | when | `data` |
 * | --- | --- | --- |
 * | `login.started` | `startLogin` answered | `state`, `reason`, `methods`, `trustedDevice` |
 * | `login.succeeded` | `verifyLogin` accepted a code, or `confirmEnrollment` completed a login | `method`, `fallback`, `credentialId` (TOTP, HOTP) |
 * | `login.failed` | a wrong or malformed code | `method`, `failures` (the user's count), `locked` |
 * | `login.replayed` | a code of a step already used (checklist D6) | `method`, `credentialId` |
 * | `login.locked_out` | a code refused because of a lock (E1) | `method`, `retryAfterMs` |
 * | `enrollment.started` | `beginEnrollment` | `method`, `enrollmentId` |
 * | `enrollment.failed` | a wrong confirmation code | `method`, `enrollmentId`, `failures`, `locked` |
 * | `enrollment.confirmed` | `confirmEnrollment` activated a device | `method`, `credentialId` |
 * | `backup_codes.issued` | a first set came with the confirmation | `count` |
 * | `backup_codes.regenerated` | `regenerateBackupCodes` replaced the set (F6) | `count` |
 * | `backup_codes.acknowledged` | `acknowledgeBackupCodes` | `remaining` |
 * | `settings.use_two_factor_changed` | `setUseTwoFactor` | `value`, `removedDevices`, `removedBackupCodes` |
 * | `settings.may_toggle_changed` | `setMayToggle` | `value` |
 * | `setup.skipped` | `skipSetup` ("Disable 2FA" on the first-login set-up) | `reason` (the login's) |
 * | `setup.deferred` | `deferSetup` (the set-up put off while its grace runs; the login completes) | `graceRemainingSeconds` |
 * | `two_factor.reset` | `reset` (by an admin) or `resetOwn` | `own`, `removedDevices`, `removedBackupCodes` |
 * | `device.removed` | `removeDevice` | `method`, `credentialId`, `lastDevice`, `removedBackupCodes` |
 * | `device.renamed` | `renameDevice` | `credentialId` (the label is the user's text, not audited) |
 * | `device.switched_off` | `switchOffDevice` (verified and kept, unused at login) | `method`, `credentialId`, `lastDevice` |
 * | `device.switched_on` | `switchOnDevice` | `method`, `credentialId` |
 * | `credential.imported` | `importCredential` | `method`, `credentialId` |
 * | `sessions.revoked` | a change that signs the user's other sessions out (I5) | `sessionEpoch`, `cause` |
 * | `trusted_device.added` | `verifyLogin` with `rememberDevice` | `trustedDeviceId`, `expiresAt` |
 * | `trusted_devices.forgotten` | `forgetTrustedDevices` | `forgotten` (how many) |
 * | `code.sent` | a delivered code was handed to its channel (first send or resend) | `method`, `channel`, `purpose`, `hint`, `deliveries`, `credentialId` or `enrollmentId` |
 * | `address.change_notified` | the old address or number of a changed one was sent a notice (G9) | `method`, `credentialId` (the old device), `hint`, `delivered` |
 * | `address.trusted` | `addAddress` took a number another person of the tenant verified, without a code (switched off until `switchOnDevice`) | `method`, `credentialId`, `hint` |
 * | `tenant.smtp_changed` | `setTenantSmtp` (recorded under the administrator's `userId`) | `tenantId`, `host`, `authenticated` (never the password) |
 * | `push.linked` | a chat opened the deep link of `linkTelegram` and was linked | `method`, `credentialId`, `hint`, `enabled` (2FA switched on by linking) |
 * | `push.approval_sent` | `sendLoginApproval` sent the approval to the user's chats | `method`, `sent`, `failed` |
 * | `push.approved` | a linked chat pressed Approve (the login completes at the next poll) | `method`, `credentialId`, `hint` |
 * | `push.denied` | a linked chat pressed Deny (the login ends) | `method`, `credentialId`, `hint` |
 *
 * Out-of-band events name a destination by its masked `hint` (`+49 *** *** **12`, a Telegram chat as
 * `chat ***12`), never in full, and never hold the code, a linking token or an approval id.
 * `enrollment.*` events of an address carry its `hint` too.
 *
 * `actorId` names who made a change; it differs from `userId` when an administrator acts on a user.
 *
 * @example
 * ```ts
 * import type { TwoFactorEventListener, TwoFactorEventType } from '@secondfactor/service';
 *
 * const alerting: readonly TwoFactorEventType[] = ['two_factor.reset', 'device.removed', 'sessions.revoked'];
 * const onEvent: TwoFactorEventListener = (event) => {
 *   if (alerting.includes(event.type)) alerts.notify(event.userId, event.type);
 * };
 * ```
 */
export type TwoFactorEventType =
  | 'login.started'
  | 'login.succeeded'
  | 'login.failed'
  | 'login.replayed'
  | 'login.locked_out'
  | 'enrollment.started'
  | 'enrollment.failed'
  | 'enrollment.confirmed'
  | 'backup_codes.issued'
  | 'backup_codes.regenerated'
  | 'backup_codes.acknowledged'
  | 'settings.use_two_factor_changed'
  | 'settings.may_toggle_changed'
  | 'setup.skipped'
  | 'setup.deferred'
  | 'two_factor.reset'
  | 'device.removed'
  | 'device.renamed'
  | 'device.switched_off'
  | 'device.switched_on'
  | 'credential.imported'
  | 'sessions.revoked'
  | 'trusted_device.added'
  | 'trusted_devices.forgotten'
  | 'code.sent'
  | 'address.change_notified'
  | 'address.trusted'
  | 'tenant.smtp_changed'
  | 'push.linked'
  | 'push.approval_sent'
  | 'push.approved'
  | 'push.denied';

/**
 * One event: the audit record the store keeps, with the service's closed set of types.
 *
 * @example
 * ```ts
 * import type { TwoFactorEvent } from '@secondfactor/service';
 *
 * const onEvent = (event: TwoFactorEvent): void => {
 *   if (event.type === 'login.locked_out') metrics.increment('2fa.lockouts');
 * };
 * ```
 */
export interface TwoFactorEvent extends AuditEvent {
  type: TwoFactorEventType;
  userId: string;
  data: Readonly<Record<string, string | number | boolean | readonly Method[] | null>>;
}

/**
 * The host's listener of {@link TwoFactorEvent}s.
 *
 * @example
 * ```ts
 * import type { TwoFactorEventListener } from '@secondfactor/service';
 *
 * const onEvent: TwoFactorEventListener = async (event) => {
 *   if (event.type === 'enrollment.confirmed') await mailer.sendTwoFactorEnabled(event.userId);
 * };
 * ```
 */
export type TwoFactorEventListener = (event: TwoFactorEvent) => void | Promise<void>;

/** Who and where an event is about. @internal */
export interface EventScope {
  userId: string;
  tenantId?: string | undefined;
  actorId?: string | undefined;
}

/** The event record of a change, not yet written. @internal */
export function makeEvent(
  ctx: ServiceContext,
  scope: EventScope,
  type: TwoFactorEventType,
  at: number,
  data: TwoFactorEvent['data'],
): TwoFactorEvent {
  return {
    id: ctx.ids.id(),
    at,
    type,
    userId: scope.userId,
    ...(scope.tenantId === undefined ? {} : { tenantId: scope.tenantId }),
    ...(scope.actorId === undefined ? {} : { actorId: scope.actorId }),
    data,
  };
}

/**
 * Passes an event the store has written to the host's listener. An error of the listener is caught: the
 * change it reports has happened. @internal
 */
export async function notify(ctx: ServiceContext, event: TwoFactorEvent): Promise<void> {
  if (ctx.onEvent === undefined) return;
  try {
    await ctx.onEvent(event);
  } catch {
    // The listener's failure is its own to log.
  }
}

/** Writes an event to the audit log (awaited, never fire-and-forget), then tells the listener. @internal */
export async function emit(
  ctx: ServiceContext,
  scope: EventScope,
  type: TwoFactorEventType,
  at: number,
  data: TwoFactorEvent['data'],
): Promise<TwoFactorEvent> {
  const event = makeEvent(ctx, scope, type, at, data);
  await ctx.store.appendAudit(event);
  await notify(ctx, event);
  return event;
}
