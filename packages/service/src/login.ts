/**
 * @module
 * The login: `startLogin` asks the policy what this login needs and opens a pending login;
 * `verifyLogin` checks a code against it (`login-verify.ts`) and completes the pending login exactly once.
 */
import { isEmailAddress } from '@secondfactor/channels';
import type { Method } from '@secondfactor/core';
import type { ReasonCode } from '@secondfactor/policy';
import type { CredentialRecord } from '@secondfactor/store';
import { invalidArgument, loginExpired, methodNotAllowed } from './errors';
import { emit } from './events';
import { checkOptionsObject } from './input';
import { verifyBackupCodeLogin, verifyOtpLogin } from './login-verify';
import { isOobMethod } from './oob/codes';
import { canDeliver } from './oob/deliver';
import { addressHint } from './oob/hint';
import { verifyCodeLogin } from './oob/login-codes';
import type { ServiceContext } from './options';
import { formatLoginId, type LoginRef, offerData, openLogin, parseLoginId } from './pending-login';
import { verifyPushLogin } from './push/approval';
import { chatHint } from './push/hint';
import { pushRandom } from './push/tokens';
import { checkUser, loadSubject, policyContext, type TwoFactorUser } from './subject';
import { issueTrustedDevice, trustedDeviceLogin } from './trusted-devices';

/**
 * What `startLogin` answers.
 *
 * | `state` | the host |
 * | --- | --- |
 * | `done` | completes the login: no second factor is needed |
 * | `enroll` | runs the set-up (`beginEnrollment`); while `deferrable`, may let the user postpone it |
 * | `challenge` | asks for a code of `methods` (or `fallbackMethods`) and calls `verifyLogin` with `loginId` |
 * | `denied` | refuses the login: no method the policy accepts can serve this user; an admin must act |
 *
 * @example
 * ```ts
 * import type { LoginStart } from '@secondfactor/service';
 *
 * const start: LoginStart = await twoFactor.startLogin({ id: user.id, roles: user.roles });
 * if (start.state === 'done') session.sessionEpoch = start.sessionEpoch;
 * else if (start.state === 'denied') response.status(403).json({ reason: start.reason });
 * else session.pendingLogin = start.loginId; // 'challenge' or 'enroll'
 * ```
 */
export interface LoginStart {
  state: 'done' | 'enroll' | 'challenge' | 'denied';
  /** The policy's reason code. */
  reason: ReasonCode;
  /**
   * The pending login: pass it to `verifyLogin` (`challenge`) or to `confirmEnrollment` (`enroll`, where
   * confirming the set-up completes the login); `null` for `done` and `denied`. Keep it server-side.
   */
  loginId: string | null;
  /** `challenge`: primary methods; `enroll`: methods that may be set up. */
  methods: readonly Method[];
  /** `challenge`: fallback methods (backup codes while the user holds some). */
  fallbackMethods: readonly Method[];
  /**
   * `challenge`: the user's devices to choose from: authenticator apps (the first is asked unless he
   * picks another) and addresses, with a masked `hint`, for `sendLoginCode`.
   */
  devices: readonly LoginDevice[];
  /** `enroll`: the user may postpone the set-up. */
  deferrable: boolean;
  /** `enroll` during a grace period: whole seconds left; `null` otherwise. */
  graceRemainingSeconds: number | null;
  /** When the pending login expires (Unix ms); `null` without one. */
  expiresAt: number | null;
  /**
   * `done`: the user's session epoch, for the session to keep (see `isSessionCurrent`); `null` otherwise
   * (the epoch comes with the completed login).
   */
  sessionEpoch: number | null;
  /**
   * `done` because the browser presented a valid trusted-device token ("remember this browser"): the
   * session's proof to record, as after `verifyLogin`; `null` otherwise.
   */
  trusted: LoginSuccess | null;
}

/**
 * A device the user may answer a login with.
 *
 * @example
 * ```ts
 * import type { LoginDevice } from '@secondfactor/service';
 *
 * const start = await twoFactor.startLogin({ id: user.id, roles: user.roles });
 * const choices = start.devices.map((device: LoginDevice) => ({ id: device.id, text: device.hint ?? device.label }));
 * ```
 */
export interface LoginDevice {
  id: string;
  method: Method;
  /** The name the user gave it ("Work phone"). */
  label: string;
  /**
   * E-mail, SMS and voice: the masked address (`a***@example.com`, `+49 *** *** **12`); push: the masked
   * chat (`chat ***12`); never the full one.
   */
  hint?: string | undefined;
}

/**
 * Options of `startLogin`.
 *
 * @example
 * ```ts
 * import type { StartLoginOptions } from '@secondfactor/service';
 *
 * const options: StartLoginOptions = { trustedDeviceToken: request.cookies.trusted_device, email: user.email };
 * const start = await twoFactor.startLogin({ id: user.id, roles: user.roles }, options);
 * ```
 */
export interface StartLoginOptions {
  /**
   * The token `verifyLogin` returned for "remember this browser", read from the browser's cookie: while it
   * is valid (the policy allows trusted devices, not expired, not revoked by a reset or by switching 2FA
   * off) the login is `done` without a code.
   */
  trustedDeviceToken?: string | undefined;
  /**
   * The user's e-mail address as the host verified it (his account's address), for a policy that sends
   * e-mail codes without a set-up (`methods.withoutEnrollment`, the partner product): e-mail is then
   * offered when the user has no address of his own set up, and `sendLoginCode` sends to this address.
   * Kept with the pending login, never read from a later request.
   */
  email?: string | undefined;
}

/**
 * What `verifyLogin` takes.
 *
 * @example
 * ```ts
 * import type { VerifyLoginInput } from '@secondfactor/service';
 *
 * const input: VerifyLoginInput = { loginId: session.pendingLogin, method: 'backup_code', code: body.code };
 * const proof = await twoFactor.verifyLogin(input);
 * ```
 */
export interface VerifyLoginInput {
  /** The `loginId` `startLogin` returned. */
  loginId: string;
  /** The method the user answered with: one the pending login offered. */
  method: Method;
  /**
   * The code the user typed (an authenticator-app code, a backup code, or a code `sendLoginCode` sent);
   * `''` for `push`, which polls: while the approval is pending it rejects with `challenge_not_found`
   * (`detail.reason: 'approval_pending'`), once denied or expired with `challenge_expired`.
   */
  code: string;
  /** An authenticator device of the user other than the one the login chose (from `LoginStart.devices`). */
  deviceId?: string | undefined;
  /**
   * "Remember this browser": on success, also issue a trusted-device token when the policy allows it.
   * @default false
   */
  rememberDevice?: boolean | undefined;
}

/**
 * A login that passed its second factor: what the host records as the session's proof
 * (`secondFactor: { at, method }` of a policy `Actor`) and the epoch the session was verified under.
 *
 * @example
 * ```ts
 * import type { LoginSuccess } from '@secondfactor/service';
 *
 * const proof: LoginSuccess = await twoFactor.verifyLogin({ loginId, method: 'totp', code: body.code, rememberDevice: true });
 * session.secondFactor = { at: proof.at, method: proof.method };
 * session.sessionEpoch = proof.sessionEpoch;
 * if (proof.trustedDeviceToken !== undefined) setTrustedDeviceCookie(proof.trustedDeviceToken, proof.trustedDeviceExpiresAt);
 * ```
 */
export interface LoginSuccess {
  userId: string;
  method: Method;
  /** True when the method was a fallback (a backup code): some actions ask for a primary one. */
  fallback: boolean;
  /** When it passed (Unix ms). */
  at: number;
  /**
   * The user's session epoch at this login. Keep it in the session and check it with
   * `isSessionCurrent`: once a change signs the user's other sessions out, this one no longer counts as
   * verified (checklist I5, H9).
   */
  sessionEpoch: number;
  /** Backup codes left after this login (backup codes only). */
  backupCodesRemaining?: number | undefined;
  /**
   * The trusted-device token when `rememberDevice` was asked and the policy allows it: set it as an
   * `HttpOnly`, `Secure` cookie that lives until `trustedDeviceExpiresAt`. Shown this once; only its
   * digest is stored.
   */
  trustedDeviceToken?: string | undefined;
  trustedDeviceExpiresAt?: number | undefined;
}

const OTP_METHODS: ReadonlySet<Method> = new Set<Method>(['totp', 'hotp']);

function checkStartOptions(options: unknown): StartLoginOptions {
  const { trustedDeviceToken, email } = checkOptionsObject('options', options, [
    'trustedDeviceToken',
    'email',
  ]);
  if (trustedDeviceToken !== undefined && typeof trustedDeviceToken !== 'string') {
    throw invalidArgument('options.trustedDeviceToken', 'must be a string');
  }
  if (email !== undefined && !isEmailAddress(email)) {
    throw invalidArgument('options.email', 'must be one bare e-mail address');
  }
  return {
    ...(trustedDeviceToken === undefined ? {} : { trustedDeviceToken }),
    ...(email === undefined ? {} : { email }),
  };
}

// Oldest first; the id breaks a tie, so every store offers the same default device.
const byAge = (a: CredentialRecord, b: CredentialRecord): number =>
  a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const firstOf = (credentials: readonly CredentialRecord[], kind: Method): CredentialRecord | undefined =>
  credentials.filter((credential) => credential.kind === kind).sort(byAge)[0];

/** @internal */
export async function startLogin(
  ctx: ServiceContext,
  userInput: TwoFactorUser,
  rawOptions?: StartLoginOptions,
): Promise<LoginStart> {
  const user = checkUser('user', userInput);
  const options = checkStartOptions(rawOptions);
  const now = ctx.now();
  const { subject, credentials } = await loadSubject(ctx.store, user);
  const requirement = ctx.policy.loginRequirement(subject, await policyContext(ctx, user, now));
  const scope = { userId: user.id, tenantId: user.tenantId };

  if (requirement.graceStartsNow === true) {
    await ctx.store.updateUserSettings(
      user.id,
      { graceStartedAt: now },
      { now, ...(user.tenantId === undefined ? {} : { tenantId: user.tenantId }) },
    );
  }

  // A delivered-code method is offered only with its channel, and for a challenge with an address to
  // send to.
  const hasAddress = (method: Method): boolean =>
    credentials.some((c) => c.kind === method && c.address !== undefined);
  // The host's verified address stands in for a set-up where the policy sends e-mail without one.
  const accountEmail =
    options.email !== undefined &&
    ctx.policy.settings.methods.withoutEnrollment.includes('email') &&
    !hasAddress('email')
      ? options.email
      : undefined;
  // Push needs the bot, and for a challenge a linked chat.
  const deliverable = (method: Method): boolean =>
    method === 'push'
      ? ctx.telegram !== undefined && (requirement.kind !== 'challenge' || hasAddress('push'))
      : !isOobMethod(method) ||
        (canDeliver(ctx, method) &&
          (requirement.kind !== 'challenge' ||
            hasAddress(method) ||
            (method === 'email' && accountEmail !== undefined)));
  const methods = requirement.methods.filter(deliverable);
  const fallbackMethods = requirement.fallbackMethods.filter(deliverable);
  // A challenge left with nothing to answer (a device whose channel this service lacks) is not waved
  // through: like the policy's `denied`, an administrator must act.
  const unanswerable =
    requirement.kind === 'challenge' && methods.length === 0 && fallbackMethods.length === 0;
  const reason: ReasonCode = unanswerable ? 'no_usable_method' : requirement.reason;
  let state: LoginStart['state'] = unanswerable
    ? 'denied'
    : requirement.kind === 'none'
      ? 'done'
      : requirement.kind;
  let trusted: LoginSuccess | null = null;
  if (state === 'challenge' && options.trustedDeviceToken !== undefined) {
    trusted = await trustedDeviceLogin(ctx, user, options.trustedDeviceToken, now);
    if (trusted !== null) state = 'done';
  }
  const answerable = (credential: CredentialRecord): boolean =>
    OTP_METHODS.has(credential.kind)
      ? methods.includes(credential.kind)
      : (isOobMethod(credential.kind) || credential.kind === 'push') &&
        credential.address !== undefined &&
        (methods.includes(credential.kind) || fallbackMethods.includes(credential.kind));
  const devices: LoginDevice[] =
    state === 'challenge'
      ? credentials
          .filter(answerable)
          .sort(byAge)
          .map((credential) => ({
            id: credential.id,
            method: credential.kind,
            label: credential.label,
            ...(isOobMethod(credential.kind) && credential.address !== undefined
              ? { hint: addressHint(credential.kind, credential.address) }
              : credential.kind === 'push' && credential.address !== undefined
                ? { hint: chatHint(credential.address) }
                : {}),
          }))
      : [];
  let loginId: string | null = null;
  let expiresAt: number | null = null;
  const sessionEpoch =
    trusted !== null
      ? trusted.sessionEpoch
      : state === 'done'
        ? await ctx.store.getSessionEpoch(user.id)
        : null;
  if (state === 'challenge' || state === 'enroll') {
    const ref: LoginRef = { userId: user.id, challengeId: ctx.ids.id() };
    expiresAt = now + ctx.loginTtlMs;
    await ctx.store.createChallenge({
      id: ref.challengeId,
      userId: user.id,
      ...(user.tenantId === undefined ? {} : { tenantId: user.tenantId }),
      kind: 'login',
      purpose: 'login',
      digest: null,
      createdAt: now,
      expiresAt,
      maxAttempts: ctx.policy.failureLimits().maxFailures,
      data: offerData({
        state,
        methods,
        fallbackMethods,
        totpCredentialId: firstOf(credentials, 'totp')?.id,
        hotpCredentialId: firstOf(credentials, 'hotp')?.id,
        accountEmail:
          methods.includes('email') || fallbackMethods.includes('email') ? accountEmail : undefined,
        pushApprovalId:
          state === 'challenge' && (methods.includes('push') || fallbackMethods.includes('push'))
            ? pushRandom(ctx)
            : undefined,
        graceEndsAt:
          state === 'enroll' && requirement.deferrable
            ? now + (requirement.graceRemainingSeconds ?? 0) * 1000
            : undefined,
      }),
    });
    loginId = formatLoginId(ref);
    // The start read the user's sealed app credentials already: the code that answers this login, most
    // often in this process, then takes the warm path (see credential-cache.ts for why a stale copy is safe).
    if (state === 'challenge') {
      for (const credential of credentials) {
        if (OTP_METHODS.has(credential.kind) && methods.includes(credential.kind))
          ctx.credentials.set(credential);
      }
    }
  }
  await emit(ctx, scope, 'login.started', now, {
    state,
    reason,
    methods,
    trustedDevice: trusted !== null,
  });
  return {
    state,
    reason,
    loginId,
    methods,
    fallbackMethods,
    devices,
    deferrable: requirement.deferrable,
    graceRemainingSeconds: requirement.graceRemainingSeconds ?? null,
    expiresAt,
    sessionEpoch,
    trusted,
  };
}

function checkInput(input: unknown): VerifyLoginInput {
  if (typeof input !== 'object' || input === null) throw invalidArgument('input', 'must be an object');
  const { loginId, method, code, deviceId, rememberDevice } = input as Record<string, unknown>;
  if (typeof method !== 'string') throw invalidArgument('input.method', 'must be a method name');
  if (typeof code !== 'string') throw invalidArgument('input.code', 'must be a string');
  if (deviceId !== undefined && (typeof deviceId !== 'string' || deviceId === '' || deviceId.length > 255)) {
    throw invalidArgument('input.deviceId', 'must be a credential id');
  }
  if (rememberDevice !== undefined && typeof rememberDevice !== 'boolean') {
    throw invalidArgument('input.rememberDevice', 'must be a boolean');
  }
  return {
    loginId: loginId as string,
    method: method as Method,
    code,
    ...(deviceId === undefined ? {} : { deviceId }),
    ...(rememberDevice === undefined ? {} : { rememberDevice }),
  };
}

/** @internal */
export async function verifyLogin(ctx: ServiceContext, rawInput: VerifyLoginInput): Promise<LoginSuccess> {
  const input = checkInput(rawInput);
  const ref = parseLoginId(input.loginId);
  const now = ctx.now();
  const { challenge, offer } = await openLogin(ctx.store, ref, now);
  const fallback = offer.fallbackMethods.includes(input.method);
  const offered = fallback || offer.methods.includes(input.method);
  const supported =
    input.method === 'backup_code' ||
    OTP_METHODS.has(input.method) ||
    (input.method === 'push' && ctx.telegram !== undefined) ||
    (isOobMethod(input.method) && canDeliver(ctx, input.method));
  if (offer.state !== 'challenge' || !offered || !supported) throw methodNotAllowed(input.method);
  const login = { ref, scope: { userId: ref.userId, tenantId: challenge.tenantId }, now, fallback };

  let success: LoginSuccess;
  if (input.method === 'backup_code') {
    success = await verifyBackupCodeLogin(ctx, login, input.code);
  } else if (isOobMethod(input.method)) {
    success = await verifyCodeLogin(ctx, login, input.method, input.code);
  } else if (input.method === 'push') {
    success = await verifyPushLogin(ctx, login, offer);
  } else {
    const credentialId =
      input.deviceId ?? (input.method === 'hotp' ? offer.hotpCredentialId : offer.totpCredentialId);
    if (credentialId === undefined) throw loginExpired();
    success = await verifyOtpLogin(ctx, login, input.method, credentialId, input.code);
  }
  if (input.rememberDevice !== true) return success;
  const trusted = await issueTrustedDevice(ctx, login.scope, success.method, now);
  return trusted === null ? success : { ...success, ...trusted };
}
