/**
 * @module
 * `createTwoFactor`: the one object a host calls from its login. It composes the packages below it
 * (core, backup-codes, policy, store) and owns no rule of its own: the policy decides, the store keeps
 * every guarantee, the service calls them in the right order.
 */
import type { Actor } from '@secondfactor/policy';
import type { SweepExpiredResult } from '@secondfactor/store';
import {
  acknowledgeBackupCodes,
  type BackupCodesFile,
  type BackupCodesFileRequest,
  backupCodesFile,
  type RegeneratedBackupCodes,
  regenerateBackupCodes,
} from './backup';
import {
  type BeginEnrollmentOptions,
  beginEnrollment,
  type ConfirmEnrollmentInput,
  confirmEnrollment,
  type EnrollmentConfirmed,
  type EnrollmentStart,
} from './enrollment';
import { invalidArgument } from './errors';
import type { TwoFactorEvent } from './events';
import { type ImportCredentialInput, type ImportedCredential, importCredential } from './import';
import { checkOptionsObject } from './input';
import {
  type LoginStart,
  type LoginSuccess,
  type StartLoginOptions,
  startLogin,
  type VerifyLoginInput,
  verifyLogin,
} from './login';
import {
  type HistoryOptions,
  history,
  listDevices,
  listStatus,
  type RemoveDeviceInput,
  type RenameDeviceInput,
  removeDevice,
  renameDevice,
  reset,
  resetOwn,
  setMayToggle,
  setUseTwoFactor,
  skipSetup,
  status,
  type TwoFactorDevice,
  type TwoFactorStatus,
  type TwoFactorStatusRow,
} from './manage';
import { type VerifyAddressInput, verifyAddress } from './oob/address-verification';
import {
  type AddAddressInput,
  type AddressAdded,
  type AddressCodeSent,
  addAddress,
  type ResendAddressCodeInput,
  resendAddressCode,
} from './oob/addresses';
import { type LoginCodeSent, type SendLoginCodeInput, sendLoginCode } from './oob/login-codes';
import { resolveOptions, type TwoFactorOptions } from './options';
import { registerPushContext } from './push/telegram-push';
import { isSessionCurrent, type SessionChange, type SessionChangeOptions } from './sessions';
import { type DeferSetupInput, deferSetup, type SetupDeferred } from './setup-deferral';
import type { TwoFactorUser } from './subject';
import { type DeviceSwitchedOn, type SwitchDeviceInput, switchOffDevice, switchOnDevice } from './switch';
import {
  setTenantSmtp,
  type TenantSmtpSettings,
  type TenantSmtpView,
  tenantSmtp,
  tenantSmtpView,
} from './tenant';
import { forgetTrustedDevices } from './trusted-devices';

/**
 * Options of {@link TwoFactor.sweep}.
 *
 * @example
 * ```ts
 * import type { SweepOptions } from '@secondfactor/service';
 *
 * // Keep a week of lockout backoff instead of the default day.
 * const options: SweepOptions = { now: Date.now() - 7 * 86_400_000, limit: 500 };
 * while ((await twoFactor.sweep(options)).more);
 * ```
 */
export interface SweepOptions {
  /**
   * Records that lapsed at this time are removed; pass a time in the past to keep the backoff of recent
   * lockouts (see the store's `sweepExpired`).
   * @default the service's clock minus one day
   */
  now?: number | undefined;
  /**
   * Records of each kind one call removes at most.
   * @default 1000
   */
  limit?: number | undefined;
}

/**
 * The 2FA service. Every method takes the identities explicitly; everything else comes from the store.
 * Errors are `SecondFactorError`s with stable codes (see the package README).
 *
 * @example
 * ```ts
 * import { createTwoFactor, type TwoFactor } from '@secondfactor/service';
 *
 * const twoFactor: TwoFactor = createTwoFactor(options);
 * const start = await twoFactor.startLogin({ id: user.id, roles: user.roles });
 * ```
 */
export interface TwoFactor {
  /**
   * After the password was right: what this login needs. `challenge` opens a pending login (server-side,
   * expiring, single use, attempt-capped, bound to the user) and returns its `loginId`.
   *
   * @throws {SecondFactorError} `invalid_argument` for a bad user object or a fact the policy lacks.
   * @example
   * ```ts
   * const start = await twoFactor.startLogin({ id: user.id, roles: user.roles });
   * if (start.state === 'challenge') session.pendingLogin = start.loginId;
   * ```
   */
  startLogin(user: TwoFactorUser, options?: StartLoginOptions): Promise<LoginStart>;
  /**
   * Checks a code against a pending login. Resolves the login's proof on success; rejects with
   * `otp_invalid` ("Otp invalid!"), `otp_replayed`, `locked_out` (`detail.retryAfterMs`),
   * `challenge_expired` (an expired, unknown, completed or exhausted login: one answer) or
   * `method_not_allowed` (a method this login did not offer).
   *
   * @example
   * ```ts
   * const proof = await twoFactor.verifyLogin({ loginId: session.pendingLogin, method: 'totp', code: body.code });
   * session.secondFactor = { at: proof.at, method: proof.method };
   * ```
   */
  verifyLogin(input: VerifyLoginInput): Promise<LoginSuccess>;
  /**
   * Starts setting up an authenticator app for the actor himself: a sealed, expiring pending enrollment
   * (nothing is active yet, H1) and what the app needs. The only response that ever holds the secret.
   *
   * @throws {SecondFactorError} `policy_denied` (with the decision's `detail.reason`) when the policy refuses.
   * @example
   * ```ts
   * const { enrollmentId, uri, manualKey } = await twoFactor.beginEnrollment(actor, { method: 'totp' });
   * ```
   */
  beginEnrollment(actor: Actor, options: BeginEnrollmentOptions): Promise<EnrollmentStart>;
  /**
   * Activates a pending enrollment with a code of the new app, recording its step, and issues the first
   * backup codes when the policy says so (returned this once). With `loginId` from a `startLogin` that
   * answered `enroll`, it also completes that login (`login` holds the session's proof). With `replaces`,
   * the old device is removed in the same step (H4). Where the policy says enabling signs the other
   * sessions out, `sessionEpoch` is the one to keep in the request's session.
   *
   * @throws {SecondFactorError} `otp_invalid`, `locked_out`, `enrollment_not_found`, `challenge_expired`
   * (the login of `loginId` ended), `not_found` (`replaces` is not one of the actor's devices),
   * `policy_denied`.
   * @example
   * ```ts
   * const { backupCodes } = await twoFactor.confirmEnrollment(actor, { enrollmentId, code: body.code });
   * ```
   */
  confirmEnrollment(actor: Actor, input: ConfirmEnrollmentInput): Promise<EnrollmentConfirmed>;
  /**
   * Removes lapsed pending logins, enrollments, trusted devices and attempt counters, a bounded number per
   * call; call again while `more`. For the host to run from a timer.
   *
   * @example
   * ```ts
   * setInterval(async () => {
   *   while ((await twoFactor.sweep()).more);
   * }, 60_000);
   * ```
   */
  sweep(options?: SweepOptions): Promise<SweepExpiredResult>;
  /**
   * The "Use 2FA" yes/no switch, on the user's own profile or by an administrator on another user's
   * (policy `canSetUseTwoFactor`). Yes: the user sets up at his next login. No: every device, backup
   * code and remembered browser of the user is removed with the switch, and his other sessions are
   * signed out where the policy says so (`sessions.revokeOthersOnDisable`; see {@link SessionChange}).
   *
   * @throws {SecondFactorError} `policy_denied` with the decision's `detail.reason` (`not_admin`,
   * `toggle_not_permitted`, `fresh_auth_required`, `required_by_role`, …).
   * @example
   * ```ts
   * await twoFactor.setUseTwoFactor(admin, { id: 'u1', roles: [], tenantId: 'acme' }, true);
   * ```
   */
  setUseTwoFactor(
    actor: Actor,
    subject: TwoFactorUser,
    value: boolean,
    options?: SessionChangeOptions,
  ): Promise<SessionChange>;
  /**
   * "Can toggle 2FA": whether the user may switch "Use 2FA" himself (policy `canSetMayToggle`).
   *
   * @throws {SecondFactorError} `policy_denied` (`self_target`, `subject_is_admin`, `not_admin`, …).
   * @example
   * ```ts
   * await twoFactor.setMayToggle(admin, { id: 'u1', roles: [], tenantId: 'acme' }, false);
   * ```
   */
  setMayToggle(actor: Actor, subject: TwoFactorUser, value: boolean): Promise<void>;
  /**
   * "Disable 2FA" on the first-login set-up screen: the actor's own "Use 2FA: no" (policy `canSkipSetup`).
   * The login then goes on without a second factor; the session keeps the `sessionEpoch` returned.
   *
   * @throws {SecondFactorError} `policy_denied` (`action_not_offered`, `setup_complete`,
   * `toggle_not_permitted`, `required_by_role`, …).
   * @example
   * ```ts
   * if (start.state === 'enroll') await twoFactor.skipSetup(actor); // the button was pressed
   * ```
   */
  skipSetup(actor: Actor): Promise<{ sessionEpoch: number }>;
  /**
   * "Set up later": completes a pending login that asked for the set-up while its grace period runs
   * (`startLogin` answered `enroll` with `deferrable`), once, without a second factor. The next login
   * asks again, until the grace ends.
   *
   * @throws {SecondFactorError} `challenge_expired` for a login that cannot be put off (none, over,
   * another state, or the grace ended); `invalid_argument`.
   * @example
   * ```ts
   * const { sessionEpoch } = await twoFactor.deferSetup({ loginId: session.pendingLogin });
   * ```
   */
  deferSetup(input: DeferSetupInput): Promise<SetupDeferred>;
  /**
   * An administrator (or support) resets another user's 2FA: his devices, backup codes, pending set-ups,
   * trusted devices and pending logins are removed, his settings are kept, and he sets up again at his
   * next login (policy `canReset`). His sessions are signed out where the policy says so.
   *
   * @throws {SecondFactorError} `policy_denied` (`self_reset_forbidden`, `not_enrolled`, `not_admin`, …).
   * @example
   * ```ts
   * await twoFactor.reset(admin, { id: 'u1', roles: [], tenantId: 'acme' });
   * ```
   */
  reset(actor: Actor, subject: TwoFactorUser, options?: SessionChangeOptions): Promise<SessionChange>;
  /**
   * The user resets his own 2FA, e.g. to move to a new phone; needs a recent second factor (policy
   * `canResetOwn`).
   *
   * @throws {SecondFactorError} `policy_denied` (`action_not_offered`, `not_enrolled`, `fresh_auth_required`).
   * @example
   * ```ts
   * await twoFactor.resetOwn({ ...actor, secondFactor: session.secondFactor });
   * ```
   */
  resetOwn(actor: Actor, options?: SessionChangeOptions): Promise<SessionChange>;
  /**
   * The subject's confirmed devices, without secrets (policy `canViewTwoFactorStatus`).
   *
   * @throws {SecondFactorError} `policy_denied` (`not_admin`, `different_tenant`, …).
   * @example
   * ```ts
   * const devices = await twoFactor.listDevices(actor, actor);
   * ```
   */
  listDevices(actor: Actor, subject: TwoFactorUser): Promise<TwoFactorDevice[]>;
  /**
   * Removes one of the actor's own devices (policy `canRemoveDevice`). Removing the last one switches 2FA
   * off: the backup codes go with it and "Use 2FA" becomes no.
   *
   * @throws {SecondFactorError} `not_found` (`detail.reason: 'device_not_found'`) for an id that is not
   * one of the actor's devices; `policy_denied` (`fresh_auth_required`, `fallback_would_be_alone`, …).
   * @example
   * ```ts
   * await twoFactor.removeDevice({ ...actor, secondFactor: session.secondFactor }, { deviceId });
   * ```
   */
  removeDevice(
    actor: Actor,
    input: RemoveDeviceInput,
    options?: SessionChangeOptions,
  ): Promise<SessionChange>;
  /**
   * Renames one of the actor's own devices ("Work phone"). Only the owner does: another user's id
   * answers like an unknown one (H3).
   *
   * @throws {SecondFactorError} `not_found` (`detail.reason: 'device_not_found'`); `invalid_argument`
   * for an empty or too long label.
   * @example
   * ```ts
   * await twoFactor.renameDevice(actor, { deviceId, label: 'Work phone' });
   * ```
   */
  renameDevice(actor: Actor, input: RenameDeviceInput): Promise<void>;
  /**
   * Switches one of the actor's e-mail, SMS, voice or Telegram devices off ("Disable" next to the
   * method): it stays verified and listed (`TwoFactorDevice.switchedOff`), a Telegram chat stays linked,
   * but no login uses it. Asked like removing it (`canRemoveDevice`); switching off the last device
   * switched on turns 2FA off ("Use 2FA" becomes no) and signs the other sessions out where the policy
   * says so. A device already off is left as it is.
   *
   * @throws {SecondFactorError} `not_found` (`device_not_found`); `invalid_argument` for an authenticator
   * app (remove it instead); `policy_denied`.
   * @example
   * ```ts
   * const change = await twoFactor.switchOffDevice(actor, { deviceId, sessionId: session.id });
   * ```
   */
  switchOffDevice(actor: Actor, input: SwitchDeviceInput): Promise<SessionChange>;
  /**
   * Switches a verified device of the actor on again without a new code ("Enable authentication" for
   * a number another person of the tenant verified, or a method switched off before). Asked like adding
   * the method (`canEnroll` / `canAddMethod`: one method at a time in the exclusive mode); signs the other
   * sessions out and issues the first backup codes where the policy says so.
   *
   * @throws {SecondFactorError} `not_found` (`device_not_found`); `invalid_argument` for a device that is
   * on already or an authenticator app; `policy_denied` (`exclusive_method_active`, …).
   * @example
   * ```ts
   * const on = await twoFactor.switchOnDevice(actor, { deviceId, sessionId: session.id });
   * ```
   */
  switchOnDevice(actor: Actor, input: SwitchDeviceInput): Promise<DeviceSwitchedOn>;
  /**
   * "Forget remembered browsers": every browser the actor had remembered (`rememberDevice`) asks for a
   * second factor again at its next login. The owner may always do it; no policy question.
   *
   * @throws {SecondFactorError} `invalid_argument` for a bad actor.
   * @example
   * ```ts
   * const { forgotten } = await twoFactor.forgetTrustedDevices(actor);
   * ```
   */
  forgetTrustedDevices(actor: Actor): Promise<{ forgotten: number }>;
  /**
   * The subject's 2FA history, newest first: every change and verification outcome the service
   * recorded (policy `canViewTwoFactorStatus`). Events hold ids, methods and counts, never a secret.
   *
   * @throws {SecondFactorError} `policy_denied` (`not_admin`, `different_tenant`, …).
   * @example
   * ```ts
   * const events = await twoFactor.history(admin, user, { limit: 50 });
   * ```
   */
  history(actor: Actor, subject: TwoFactorUser, options?: HistoryOptions): Promise<TwoFactorEvent[]>;
  /**
   * Brings an existing authenticator secret over from otplib, otpauth or speakeasy as a confirmed device
   * of the actor, sealed like any other, with the last step the old system accepted. The method must be
   * one the policy allows; the set-up questions are not asked (the set-up happened in the old system).
   *
   * @throws {SecondFactorError} `invalid_secret` for a secret under 128 bits (B2); `invalid_base32`;
   * `invalid_argument`; `policy_denied` (`method_not_allowed`).
   * @example
   * ```ts
   * // From otplib: the user's base32 secret, and the last step the old code accepted, if it kept one.
   * await twoFactor.importCredential(user, { method: 'totp', secret: row.otpSecret });
   * ```
   */
  importCredential(actor: Actor, input: ImportCredentialInput): Promise<ImportedCredential>;
  /**
   * Whether a session verified under `sessionEpoch` (from `verifyLogin`, `confirmEnrollment` or a
   * change's {@link SessionChange}) still counts as verified: `false` once a change signed the user's
   * other sessions out (checklist I5, H9). One store read; the adapters call it on each protected request.
   * With `sessionEpochCacheSeconds`, at most one read per user per that many seconds: a revocation made
   * through this service is seen at once, one made by another process at most that long after it.
   *
   * @example
   * ```ts
   * if (!(await twoFactor.isSessionCurrent(session.userId, session.sessionEpoch))) session.secondFactor = null;
   * ```
   */
  isSessionCurrent(userId: string, sessionEpoch: number): Promise<boolean>;
  /**
   * The subject's 2FA for a profile page: devices, methods, backup codes left, the switches (policy
   * `canViewTwoFactorStatus`).
   *
   * @throws {SecondFactorError} `policy_denied` (`not_admin`, `different_tenant`, …).
   * @example
   * ```ts
   * const { hasTwoFactor, devices, backupCodesRemaining } = await twoFactor.status(actor, actor);
   * ```
   */
  status(actor: Actor, subject: TwoFactorUser): Promise<TwoFactorStatus>;
  /**
   * One row per user for an admin's user table, in the order given; users without any 2FA record are
   * included. Every subject is checked (policy `canViewTwoFactorStatus`): one refusal refuses the call.
   *
   * @throws {SecondFactorError} `policy_denied` with `detail.subjectId` naming the refused user;
   * `invalid_argument` for more than 1000 users.
   * @example
   * ```ts
   * const rows = await twoFactor.listStatus(admin, page.map((u) => ({ id: u.id, roles: u.roles })));
   * ```
   */
  listStatus(actor: Actor, subjects: readonly TwoFactorUser[]): Promise<TwoFactorStatusRow[]>;
  /**
   * "I confirm that the codes are saved": records when the actor acknowledged his current set.
   *
   * @throws {SecondFactorError} `not_enrolled` (`detail.reason: 'no_backup_codes'`) without a set.
   * @example
   * ```ts
   * await twoFactor.acknowledgeBackupCodes(actor);
   * ```
   */
  acknowledgeBackupCodes(actor: Actor): Promise<void>;
  /**
   * A new set of backup codes replacing the old one in one step (F4); needs a recent code of a primary
   * method in `actor.secondFactor` (policy `canRegenerateBackupCodes`, F6). The codes are returned this once.
   *
   * @throws {SecondFactorError} `policy_denied` (`fresh_auth_required` with `policyDetail.primaryFactor`,
   * `not_enrolled`, `backup_codes_disabled`).
   * @example
   * ```ts
   * const { codes, createdAt } = await twoFactor.regenerateBackupCodes({ ...actor, secondFactor: session.secondFactor });
   * ```
   */
  regenerateBackupCodes(actor: Actor): Promise<RegeneratedBackupCodes>;
  /**
   * The codes just shown, as a text file to save or print, titled with the issuer and `account`.
   *
   * @throws {SecondFactorError} `invalid_argument` for a bad account, code list or date.
   * @example
   * ```ts
   * const { fileName, text } = twoFactor.backupCodesFile({ codes, account: user.email, createdAt });
   * ```
   */
  backupCodesFile(request: BackupCodesFileRequest): BackupCodesFile;
  /**
   * Sends a code of `email`, `sms` or `voice` for a pending login to one of the user's addresses; a
   * second call is a resend (the previous code stops working, G6). A voice code is a flash call until
   * the policy's number of calls was placed, then an SMS to the same number. The code is never returned
   * (G7); the user types it into `verifyLogin` with the same `method`.
   *
   * @throws {SecondFactorError} `rate_limited` (`detail.retryAfterMs`, `detail.limit`: G8),
   * `method_not_allowed` (not offered, or no channel), `not_found` (a `deviceId` not of the user),
   * `challenge_expired`, `delivery_failed` (the provider's).
   * @example
   * ```ts
   * const { channel, resendAfterMs } = await twoFactor.sendLoginCode({ loginId, method: 'sms' });
   * ```
   */
  sendLoginCode(input: SendLoginCodeInput): Promise<LoginCodeSent>;
  /**
   * Adds an e-mail address or phone number as a second factor of the actor ("Add Number"): it stays
   * pending, and nothing is active, until `verifyAddress` gets the code just sent to it (policy
   * `canEnroll`/`canAddMethod`; with `replaces`, "Change number" or "change e-mail address":
   * `canReplaceDevice`, a current second factor, and the old destination is told, G9). A number another
   * person of the tenant verified needs no code where the policy trusts that
   * (`self.trustPhoneVerifiedInTenant`): the answer is then `trusted`, a device switched off that
   * `switchOnDevice` ("Enable authentication") turns on.
   *
   * @throws {SecondFactorError} `method_not_allowed` (no channel for the method), `invalid_argument` (an
   * address that is not one bare e-mail address or an E.164 number), `policy_denied`, `rate_limited`,
   * `not_found` (`replaces` is not one of the actor's devices of the method), `delivery_failed`.
   * @example
   * ```ts
   * const added = await twoFactor.addAddress(actor, { method: 'sms', address: '+4915112345612' });
   * if (added.status === 'code_sent') session.pendingAddress = added.enrollmentId;
   * ```
   */
  addAddress(actor: Actor, input: AddAddressInput): Promise<AddressAdded>;
  /**
   * "Verify Number": activates the pending address with the code sent to it. A wrong code counts on the
   * user's counter like any confirmation (E5). With `replaces`, the old device goes in the same step and
   * its number is told of the change (G9). Issues the first backup codes when the policy says so.
   *
   * @throws {SecondFactorError} `otp_invalid`, `otp_expired`, `locked_out`, `enrollment_not_found`,
   * `policy_denied`.
   * @example
   * ```ts
   * const { credentialId } = await twoFactor.verifyAddress(actor, { enrollmentId, code: body.code });
   * ```
   */
  verifyAddress(actor: Actor, input: VerifyAddressInput): Promise<EnrollmentConfirmed>;
  /**
   * Sends a new code for a pending address; the previous one stops working and wrong codes so far still
   * count (G6, E4).
   *
   * @throws {SecondFactorError} `rate_limited`, `enrollment_not_found`, `delivery_failed`.
   * @example
   * ```ts
   * await twoFactor.resendAddressCode(actor, { enrollmentId });
   * ```
   */
  resendAddressCode(actor: Actor, input: ResendAddressCodeInput): Promise<AddressCodeSent>;
  /**
   * A tenant administrator sets the SMTP server the tenant's code e-mails go through, or `null` for the
   * host's default (policy `canConfigureTenant`). Stored sealed with the service's `SecretBox`; the audit
   * record names the host, never the password.
   *
   * @throws {SecondFactorError} `policy_denied` (`not_admin`, `different_tenant`, `fresh_auth_required`, …),
   * `invalid_argument` for a bad setting.
   * @example
   * ```ts
   * await twoFactor.setTenantSmtp(admin, 'acme', {
   *   host: 'smtp.acme.example',
   *   port: 587,
   *   auth: { user: 'otp', pass: form.password },
   * });
   * ```
   */
  setTenantSmtp(actor: Actor, tenantId: string, smtp: TenantSmtpSettings | null): Promise<void>;
  /**
   * The tenant's SMTP settings, opened, for the e-mail channel's transport; `null` when the tenant set
   * none. Keep the result out of logs: it holds the password.
   *
   * @example
   * ```ts
   * import { createEmailChannel } from '@secondfactor/channels';
   *
   * const email = createEmailChannel({
   *   from: 'security@example.com',
   *   transport: async ({ tenantId }) =>
   *     (tenantId === undefined ? null : await twoFactor.tenantSmtp(tenantId)) ?? defaultSmtp,
   * });
   * ```
   */
  tenantSmtp(tenantId: string): Promise<TenantSmtpSettings | null>;
  /**
   * The tenant's SMTP server for its settings page, without the password (policy `canConfigureTenant`:
   * who may change it may see it); `null` when none is set.
   *
   * @throws {SecondFactorError} `policy_denied`; `invalid_argument`.
   * @example
   * ```ts
   * const smtp = await twoFactor.tenantSmtpView(admin, 'acme'); // { host, port, secure, user, hasPassword }
   * ```
   */
  tenantSmtpView(actor: Actor, tenantId: string): Promise<TenantSmtpView | null>;
}

/**
 * Creates the 2FA service. Validates every option first: a bad one throws `invalid_argument` naming it.
 *
 * @throws {SecondFactorError} `invalid_argument` for a missing or bad option, including a policy that
 * names tenant features without `tenantFeatures`.
 * @example
 * ```ts
 * import { createPolicy, selfService } from '@secondfactor/policy';
 * import { createTwoFactor } from '@secondfactor/service';
 * import { MemoryStore, SecretBox } from '@secondfactor/store';
 *
 * const twoFactor = createTwoFactor({
 *   store: new MemoryStore(),
 *   secretBox: new SecretBox({ keys: { k1: secretKey }, currentKeyId: 'k1' }),
 *   backupCodeKey,
 *   policy: createPolicy(selfService),
 *   issuer: 'Example',
 * });
 * ```
 */
export function createTwoFactor(options: TwoFactorOptions): TwoFactor {
  const ctx = resolveOptions(options);
  const service: TwoFactor = {
    startLogin: (user, startOptions) => startLogin(ctx, user, startOptions),
    verifyLogin: (input) => verifyLogin(ctx, input),
    beginEnrollment: (actor, enrollOptions) => beginEnrollment(ctx, actor, enrollOptions),
    confirmEnrollment: (actor, input) => confirmEnrollment(ctx, actor, input),
    sweep: async (sweepOptions) => {
      const { now, limit } = checkOptionsObject('options', sweepOptions, ['now', 'limit']);
      if (now === null) throw invalidArgument('options.now', 'must be a time or absent');
      if (limit === null) throw invalidArgument('options.limit', 'must be a number or absent');
      return ctx.store.sweepExpired({
        now: (now as number | undefined) ?? Math.max(0, ctx.now() - 86_400_000),
        limit: (limit as number | undefined) ?? 1000,
      });
    },
    setUseTwoFactor: (actor, subject, value, changeOptions) =>
      setUseTwoFactor(ctx, actor, subject, value, changeOptions),
    setMayToggle: (actor, subject, value) => setMayToggle(ctx, actor, subject, value),
    skipSetup: (actor) => skipSetup(ctx, actor),
    deferSetup: (input) => deferSetup(ctx, input),
    reset: (actor, subject, changeOptions) => reset(ctx, actor, subject, changeOptions),
    resetOwn: (actor, changeOptions) => resetOwn(ctx, actor, changeOptions),
    listDevices: (actor, subject) => listDevices(ctx, actor, subject),
    removeDevice: (actor, input, changeOptions) => removeDevice(ctx, actor, input, changeOptions),
    renameDevice: (actor, input) => renameDevice(ctx, actor, input),
    switchOffDevice: (actor, input) => switchOffDevice(ctx, actor, input),
    switchOnDevice: (actor, input) => switchOnDevice(ctx, actor, input),
    forgetTrustedDevices: (actor) => forgetTrustedDevices(ctx, actor),
    history: (actor, subject, historyOptions) => history(ctx, actor, subject, historyOptions),
    importCredential: (actor, input) => importCredential(ctx, actor, input),
    isSessionCurrent: (userId, sessionEpoch) => isSessionCurrent(ctx, userId, sessionEpoch),
    status: (actor, subject) => status(ctx, actor, subject),
    listStatus: (actor, subjects) => listStatus(ctx, actor, subjects),
    acknowledgeBackupCodes: (actor) => acknowledgeBackupCodes(ctx, actor),
    regenerateBackupCodes: (actor) => regenerateBackupCodes(ctx, actor),
    backupCodesFile: (request) => backupCodesFile(ctx, request),
    sendLoginCode: (input) => sendLoginCode(ctx, input),
    addAddress: (actor, input) => addAddress(ctx, actor, input),
    verifyAddress: (actor, input) => verifyAddress(ctx, actor, input),
    resendAddressCode: (actor, input) => resendAddressCode(ctx, actor, input),
    setTenantSmtp: (actor, tenantId, smtp) => setTenantSmtp(ctx, actor, tenantId, smtp),
    tenantSmtp: (tenantId) => tenantSmtp(ctx, tenantId),
    tenantSmtpView: (actor, tenantId) => tenantSmtpView(ctx, actor, tenantId),
  };
  registerPushContext(service, ctx);
  return Object.freeze(service);
}
