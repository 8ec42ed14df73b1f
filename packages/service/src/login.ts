/**
 * @module
 * The login: `startLogin` asks the policy what this login needs and opens a pending login;
 * `verifyLogin` checks a TOTP or backup code against it, counts failures per user and per credential
 * across logins, and completes the pending login exactly once.
 */
import { verifyAndConsume } from '@secondfactor/backup-codes';
import type { Method } from '@secondfactor/core';
import type { ReasonCode } from '@secondfactor/policy';
import type { UserSettings } from '@secondfactor/store';
import {
  invalidArgument,
  lockedOut,
  loginExpired,
  methodNotAllowed,
  otpInvalid,
  otpReplayed,
} from './errors';
import { emit } from './events';
import type { ServiceContext } from './options';
import {
  completeLogin,
  countLoginAttempt,
  formatLoginId,
  type LoginRef,
  offerData,
  openLogin,
  parseLoginId,
} from './pending-login';
import { randomId } from './random-id';
import {
  checkUser,
  credentialFailureKey,
  loadSubject,
  policyContext,
  type TwoFactorUser,
  userFailureKey,
} from './subject';
import { lockRemaining, readFailures, registerFailures } from './throttle';
import { checkTotp } from './totp-check';

/**
 * What `startLogin` answers.
 *
 * | `state` | the host |
 * | --- | --- |
 * | `done` | completes the login: no second factor is needed |
 * | `enroll` | runs the set-up (`beginEnrollment`); while `deferrable`, may let the user postpone it |
 * | `challenge` | asks for a code of `methods` (or `fallbackMethods`) and calls `verifyLogin` with `loginId` |
 * | `denied` | refuses the login: no method the policy accepts can serve this user; an admin must act |
 */
export interface LoginStart {
  state: 'done' | 'enroll' | 'challenge' | 'denied';
  /** The policy's reason code. */
  reason: ReasonCode;
  /** The pending login to pass to `verifyLogin` (`challenge` only; `null` otherwise). Keep it server-side. */
  loginId: string | null;
  /** `challenge`: primary methods; `enroll`: methods that may be set up. */
  methods: readonly Method[];
  /** `challenge`: fallback methods (backup codes while the user holds some). */
  fallbackMethods: readonly Method[];
  /** `enroll`: the user may postpone the set-up. */
  deferrable: boolean;
  /** `enroll` during a grace period: whole seconds left; `null` otherwise. */
  graceRemainingSeconds: number | null;
  /** When the pending login expires (Unix ms); `null` without one. */
  expiresAt: number | null;
}

/** Options of `startLogin`. Reserved for the trusted-device token (not in this version). */
export type StartLoginOptions = Record<string, never>;

/** What `verifyLogin` takes. */
export interface VerifyLoginInput {
  /** The `loginId` `startLogin` returned. */
  loginId: string;
  /** The method the user answered with: one the pending login offered. */
  method: Method;
  /** The code the user typed (a TOTP code or a backup code). */
  code: string;
  /** A TOTP credential of the user other than the one the login chose. */
  deviceId?: string | undefined;
}

/**
 * A login that passed its second factor: what the host records as the session's proof
 * (`secondFactor: { at, method }` of a policy `Actor`).
 */
export interface LoginSuccess {
  userId: string;
  method: Method;
  /** True when the method was a fallback (a backup code): some actions ask for a primary one. */
  fallback: boolean;
  /** When it passed (Unix ms). */
  at: number;
  /** Backup codes left after this login (backup codes only). */
  backupCodesRemaining?: number | undefined;
}

const SUPPORTED: ReadonlySet<Method> = new Set<Method>(['totp', 'backup_code']);

/** @internal */
export async function startLogin(
  ctx: ServiceContext,
  userInput: TwoFactorUser,
  options?: StartLoginOptions,
): Promise<LoginStart> {
  const user = checkUser('user', userInput);
  if (
    options !== undefined &&
    (typeof options !== 'object' || options === null || Object.keys(options).length > 0)
  ) {
    throw invalidArgument(
      'options',
      'must be an empty object or absent (trusted devices are not supported yet)',
    );
  }
  const now = ctx.now();
  const { subject, credentials } = await loadSubject(ctx.store, user);
  const requirement = ctx.policy.loginRequirement(subject, await policyContext(ctx, user, now));
  const scope = { userId: user.id, tenantId: user.tenantId };

  if (requirement.graceStartsNow === true) {
    const stored = await ctx.store.getUserSettings(user.id);
    const settings: UserSettings = {
      userId: user.id,
      ...(user.tenantId === undefined ? {} : { tenantId: user.tenantId }),
      useTwoFactor: stored?.useTwoFactor ?? null,
      mayToggle: stored?.mayToggle ?? ctx.policy.settings.self.defaultMayToggle,
      graceStartedAt: now,
      ...(stored?.backupCodesAcknowledgedAt === undefined
        ? {}
        : { backupCodesAcknowledgedAt: stored.backupCodesAcknowledgedAt }),
      updatedAt: now,
    };
    await ctx.store.putUserSettings(settings);
  }

  const state = requirement.kind === 'none' ? 'done' : requirement.kind;
  let loginId: string | null = null;
  let expiresAt: number | null = null;
  if (state === 'challenge') {
    const totp = credentials
      .filter((credential) => credential.kind === 'totp')
      .sort((a, b) => a.createdAt - b.createdAt)[0];
    const ref: LoginRef = { userId: user.id, challengeId: randomId(ctx.random) };
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
        methods: requirement.methods,
        fallbackMethods: requirement.fallbackMethods,
        totpCredentialId: totp?.id,
      }),
    });
    loginId = formatLoginId(ref);
  }
  await emit(ctx, scope, 'login.started', now, {
    state,
    reason: requirement.reason,
    methods: requirement.methods,
  });
  return {
    state,
    reason: requirement.reason,
    loginId,
    methods: requirement.methods,
    fallbackMethods: requirement.fallbackMethods,
    deferrable: requirement.deferrable,
    graceRemainingSeconds: requirement.graceRemainingSeconds ?? null,
    expiresAt,
  };
}

function checkInput(input: unknown): VerifyLoginInput {
  if (typeof input !== 'object' || input === null) throw invalidArgument('input', 'must be an object');
  const { loginId, method, code, deviceId } = input as Record<string, unknown>;
  if (typeof method !== 'string') throw invalidArgument('input.method', 'must be a method name');
  if (typeof code !== 'string') throw invalidArgument('input.code', 'must be a string');
  if (deviceId !== undefined && (typeof deviceId !== 'string' || deviceId === '' || deviceId.length > 255)) {
    throw invalidArgument('input.deviceId', 'must be a credential id');
  }
  return {
    loginId: loginId as string,
    method: method as Method,
    code,
    ...(deviceId === undefined ? {} : { deviceId }),
  };
}

/** @internal */
export async function verifyLogin(ctx: ServiceContext, rawInput: VerifyLoginInput): Promise<LoginSuccess> {
  const input = checkInput(rawInput);
  const ref = parseLoginId(input.loginId);
  const now = ctx.now();
  const { challenge, offer } = await openLogin(ctx.store, ref, now);
  const fallback = offer.fallbackMethods.includes(input.method);
  if (!(fallback || offer.methods.includes(input.method)) || !SUPPORTED.has(input.method)) {
    throw methodNotAllowed(input.method);
  }
  const scope = { userId: ref.userId, tenantId: challenge.tenantId };
  const method = input.method;

  // --- backup codes: the user's counter only, shared with every other method (F10) -------------------
  if (method === 'backup_code') {
    const userKey = userFailureKey(ref.userId);
    const [state] = await readFailures(ctx, [userKey], now);
    const wait = lockRemaining(state === undefined ? [] : [state], now);
    if (wait !== null) {
      await emit(ctx, scope, 'login.locked_out', now, { method, retryAfterMs: wait });
      throw lockedOut(wait);
    }
    const result = await verifyAndConsume(ctx.store, ref.userId, input.code, { hasher: ctx.hasher, now });
    if (!result.valid) return failed(ctx, ref, scope, method, [userKey], now);
    await ctx.store.clearFailures(userKey);
    return succeed(ctx, ref, scope, now, {
      userId: ref.userId,
      method,
      fallback,
      at: now,
      backupCodesRemaining: result.remaining,
    });
  }

  // --- TOTP: the store's two-call path (read, then record the use and clear the counters at once) ----
  const credentialId = input.deviceId ?? offer.totpCredentialId;
  if (credentialId === undefined) throw loginExpired();
  const keys = [userFailureKey(ref.userId), credentialFailureKey(credentialId)];
  const read = await ctx.store.getCredentialForVerification(ref.userId, credentialId, {
    now,
    failureKeys: keys,
  });
  const credential = read.credential;
  // H9: a device removed since the login started answers like an ended login.
  if (credential === null || credential.kind !== 'totp' || credential.otp === undefined) throw loginExpired();
  const wait = lockRemaining(read.failures, now);
  if (wait !== null) {
    await emit(ctx, scope, 'login.locked_out', now, { method, retryAfterMs: wait });
    throw lockedOut(wait);
  }
  const outcome = checkTotp(ctx, credential, input.code, now);
  if (!outcome.valid && outcome.reason === 'replayed') {
    await emit(ctx, scope, 'login.replayed', now, { method, credentialId });
    throw otpReplayed();
  }
  if (!outcome.valid) return failed(ctx, ref, scope, method, keys, now);
  const recorded = await ctx.store.recordOtpUse(ref.userId, credentialId, {
    step: outcome.step,
    now,
    driftSteps: outcome.driftSteps,
    ifSecret: credential.otp.secretCiphertext,
    unlessLocked: keys,
    clearFailures: keys,
  });
  if (!recorded) {
    // The failure path only: read again to tell a replay from a lock or a removed device.
    const again = await ctx.store.getCredentialForVerification(ref.userId, credentialId, {
      now,
      failureKeys: keys,
    });
    const lock = lockRemaining(again.failures, now);
    if (lock !== null) {
      await emit(ctx, scope, 'login.locked_out', now, { method, retryAfterMs: lock });
      throw lockedOut(lock);
    }
    if (again.credential !== null && (again.credential.lastUsedStep ?? -1) >= outcome.step) {
      await emit(ctx, scope, 'login.replayed', now, { method, credentialId });
      throw otpReplayed();
    }
    throw loginExpired();
  }
  return succeed(ctx, ref, scope, now, { userId: ref.userId, method, fallback, at: now }, credentialId);
}

async function succeed(
  ctx: ServiceContext,
  ref: LoginRef,
  scope: { userId: string; tenantId?: string | undefined },
  now: number,
  success: LoginSuccess,
  credentialId?: string,
): Promise<LoginSuccess> {
  // Exactly one caller completes a pending login; a code accepted for a login another request already
  // completed does not complete it twice.
  if (!(await completeLogin(ctx.store, ref))) throw loginExpired();
  await emit(ctx, scope, 'login.succeeded', now, {
    method: success.method,
    fallback: success.fallback,
    ...(credentialId === undefined ? {} : { credentialId }),
    ...(success.backupCodesRemaining === undefined ? {} : { remaining: success.backupCodesRemaining }),
  });
  return success;
}

async function failed(
  ctx: ServiceContext,
  ref: LoginRef,
  scope: { userId: string; tenantId?: string | undefined },
  method: Method,
  keys: readonly string[],
  now: number,
): Promise<never> {
  const [states] = await Promise.all([
    registerFailures(ctx, keys, now),
    countLoginAttempt(ctx.store, ref, now),
  ]);
  const lock = lockRemaining(states, now);
  await emit(ctx, scope, 'login.failed', now, {
    method,
    failures: states[0]?.count ?? 0,
    locked: lock !== null,
  });
  // The failure that reaches the limit already answers with the lock and its wait (E8).
  throw lock === null ? otpInvalid() : lockedOut(lock);
}
