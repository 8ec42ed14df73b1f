/**
 * @module
 * Setting up an authenticator app: `beginEnrollment` seals a new secret as a pending enrollment and
 * returns what the app needs; `confirmEnrollment` activates it once a code of it verifies (checklist H1),
 * records that code's step so it cannot also pass a login, and issues backup codes when the policy says so.
 */
import { issueBackupCodes } from '@secondfactor/backup-codes';
import {
  buildKeyUri,
  formatSecretForManualEntry,
  generateSecret,
  isSecondFactorError,
  type Method,
} from '@secondfactor/core';
import type { Actor, PolicyContext } from '@secondfactor/policy';
import type { CredentialRecord } from '@secondfactor/store';
import {
  assertAllowed,
  deviceNotFound,
  enrollmentNotFound,
  invalidArgument,
  lockedOut,
  loginExpired,
  otpInvalid,
} from './errors';
import { type EventScope, emit, makeEvent, notify } from './events';
import { checkName } from './input';
import type { LoginSuccess } from './login';
import { patchSettings } from './manage';
import type { ServiceContext } from './options';
import { checkOtp } from './otp-check';
import { type LoginRef, openLogin, parseLoginId } from './pending-login';
import { checkChangeOptions, withRevocation } from './sessions';
import { checkActor, type LoadedSubject, loadSubject, policyContext, userFailureKey } from './subject';
import { countWrongAnswer, lockRemaining, readFailures } from './throttle';

/**
 * Options of `beginEnrollment`.
 *
 * @example
 * ```ts
 * import type { BeginEnrollmentOptions } from '@secondfactor/service';
 *
 * const options: BeginEnrollmentOptions = { method: 'totp', label: 'Work phone', accountName: user.email };
 * const start = await twoFactor.beginEnrollment(actor, options);
 * ```
 */
export interface BeginEnrollmentOptions {
  /** The method to set up; this version sets up authenticator apps only. */
  method: 'totp';
  /**
   * The id of one of the actor's devices the new one will replace (a new phone): the policy's
   * "replace device" question is asked instead of "add a method", and the old device keeps working
   * until the new one is confirmed with the same `replaces` (checklist H4).
   */
  replaces?: string | undefined;
  /**
   * The device's name in the user's list ("Work phone").
   * @default 'Authenticator app'
   */
  label?: string | undefined;
  /**
   * The account name the app shows under the issuer, usually the user's e-mail address (without `:`).
   * @default the actor's id
   */
  accountName?: string | undefined;
}

/**
 * What the user's app needs, returned by `beginEnrollment` only (checklist B8, B9): render `uri` as a QR
 * code (`@secondfactor/qr`) and show `manualKey` and `accountName` under "Can't scan a QR code?".
 *
 * @example
 * ```ts
 * import type { EnrollmentStart } from '@secondfactor/service';
 *
 * const start: EnrollmentStart = await twoFactor.beginEnrollment(actor, { method: 'totp' });
 * session.pendingEnrollment = start.enrollmentId;
 * response.json({ uri: start.uri, manualKey: start.manualKey, accountName: start.accountName, expiresAt: start.expiresAt });
 * ```
 */
export interface EnrollmentStart {
  /** Pass to `confirmEnrollment`. */
  enrollmentId: string;
  method: 'totp';
  /** The `otpauth://totp/…` Key URI. */
  uri: string;
  /** The secret in base32, in groups of four, for typing into the app. */
  manualKey: string;
  accountName: string;
  issuer: string;
  /** When the pending enrollment expires (Unix ms). */
  expiresAt: number;
}

/**
 * What `confirmEnrollment` takes.
 *
 * @example
 * ```ts
 * import type { ConfirmEnrollmentInput } from '@secondfactor/service';
 *
 * const input: ConfirmEnrollmentInput = { enrollmentId: session.pendingEnrollment, code: body.code, sessionId: session.id };
 * const confirmed = await twoFactor.confirmEnrollment(actor, input);
 * ```
 */
export interface ConfirmEnrollmentInput {
  enrollmentId: string;
  /** A code from the app just set up. */
  code: string;
  /**
   * The pending login of a first-login set-up (`startLogin` answered `enroll`): confirming the device
   * also completes that login, and the result carries its proof in `login`.
   */
  loginId?: string | undefined;
  /** The device this one replaces, as given to `beginEnrollment`: removed in the same step (H4). */
  replaces?: string | undefined;
  /** The host's id of the request's session, kept when enabling signs the other sessions out (I5). */
  sessionId?: string | undefined;
}

/**
 * An activated device, and the backup codes that came with it (shown this once, F5).
 *
 * @example
 * ```ts
 * import type { EnrollmentConfirmed } from '@secondfactor/service';
 *
 * const confirmed: EnrollmentConfirmed = await twoFactor.confirmEnrollment(actor, { enrollmentId, code: body.code });
 * if (confirmed.sessionEpoch !== null) session.sessionEpoch = confirmed.sessionEpoch;
 * if (confirmed.backupCodes !== null) response.json({ backupCodes: confirmed.backupCodes });
 * ```
 */
export interface EnrollmentConfirmed {
  credentialId: string;
  method: Method;
  /** The first backup codes when the policy issues them and the user had none; `null` otherwise. */
  backupCodes: string[] | null;
  /** The user must confirm the codes are saved ("I confirm that the codes are saved"). */
  backupCodesAcknowledgementRequired: boolean;
  /** When the code passed: the session's second-factor proof (`secondFactor: { at, method }`). */
  at: number;
  /**
   * The user's session epoch when enabling signed his other sessions out (the policy's
   * `sessions.revokeOthersOnEnable`): keep it in the request's session. `null` when nothing was revoked.
   */
  sessionEpoch: number | null;
  /** With `loginId`: the completed login, what the host records as the session's proof. */
  login: LoginSuccess | null;
}

function checkLabelPart(name: string, value: unknown, fallback: string): string {
  return value === undefined ? fallback : checkName(name, value);
}

/** @internal */
export async function beginEnrollment(
  ctx: ServiceContext,
  actorInput: Actor,
  options: BeginEnrollmentOptions,
): Promise<EnrollmentStart> {
  const actor = checkActor(actorInput);
  if (typeof options !== 'object' || options === null) throw invalidArgument('options', 'must be an object');
  if (options.method !== 'totp') throw invalidArgument('options.method', "must be 'totp'");
  const label = checkLabelPart('options.label', options.label, 'Authenticator app');
  const replaces = checkReplaces('options.replaces', options.replaces);
  const accountName = checkLabelPart('options.accountName', options.accountName, actor.id);
  if (accountName.includes(':')) throw invalidArgument('options.accountName', 'must not contain ":"');

  const now = ctx.now();
  // Only the owner enrolls (H3): the subject is the actor himself, and the policy checks it as well.
  const { subject, credentials } = await loadSubject(ctx.store, actor);
  const policyCtx = await policyContext(ctx, actor, now);
  askSetUp(ctx, actor, { subject, credentials }, replaces, policyCtx);

  const { digits, periodSeconds, secretBytes } = ctx.policy.settings.otp;
  const enrollmentId = ctx.ids.id();
  const secret = generateSecret({ bytes: secretBytes, random: ctx.random });
  try {
    const expiresAt = now + ctx.enrollmentTtlMs;
    await ctx.store.createPendingEnrollment({
      id: enrollmentId,
      userId: actor.id,
      ...(actor.tenantId === undefined ? {} : { tenantId: actor.tenantId }),
      kind: 'totp',
      label,
      otp: {
        // B6, B7: only the sealed secret, bound to the user and the credential id it will have, is stored.
        secretCiphertext: ctx.secretBox.seal(secret, { userId: actor.id, credentialId: enrollmentId }),
        algorithm: 'SHA1',
        digits,
        period: periodSeconds,
      },
      createdAt: now,
      expiresAt,
    });
    const uri = buildKeyUri({
      type: 'totp',
      secret,
      account: accountName,
      issuer: ctx.issuer,
      digits,
      period: periodSeconds,
    });
    await emit(
      ctx,
      { userId: actor.id, tenantId: actor.tenantId, actorId: actor.id },
      'enrollment.started',
      now,
      {
        method: 'totp',
        enrollmentId,
      },
    );
    return {
      enrollmentId,
      method: 'totp',
      uri,
      manualKey: formatSecretForManualEntry(secret),
      accountName,
      issuer: ctx.issuer,
      expiresAt,
    };
  } finally {
    secret.fill(0);
  }
}

/** A `replaces` id, checked for shape. @internal */
export function checkReplaces(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '' || value.length > 255) {
    throw invalidArgument(name, 'must be the id of one of your devices');
  }
  return value;
}

/** The device `replaces` names, among the actor's own (H3: another user's id is not found). */
function deviceChoice(credentials: readonly CredentialRecord[], id: string): { method: Method; id: string } {
  const credential = credentials.find((c) => c.id === id);
  if (credential === undefined) throw deviceNotFound();
  return { method: credential.kind, id };
}

/**
 * The policy's set-up question for a device of `method`: replacing a device (`replaces`), adding one
 * while 2FA is active, or a first set-up. Refuses with `policy_denied` and the decision's detail. @internal
 */
export function askSetUp(
  ctx: ServiceContext,
  actor: Actor,
  { subject, credentials }: Pick<LoadedSubject, 'subject' | 'credentials'>,
  replaces: string | undefined,
  policyCtx: PolicyContext,
  method: Method = 'totp',
): void {
  const decision =
    replaces !== undefined
      ? ctx.policy.canReplaceDevice(actor, subject, deviceChoice(credentials, replaces), policyCtx)
      : subject.settings.enrollment === 'active'
        ? ctx.policy.canAddMethod(actor, subject, method, policyCtx)
        : ctx.policy.canEnroll(actor, subject, method, policyCtx);
  assertAllowed(decision, `setting up ${method}`);
}

/** @internal */
export async function confirmEnrollment(
  ctx: ServiceContext,
  actorInput: Actor,
  input: ConfirmEnrollmentInput,
): Promise<EnrollmentConfirmed> {
  const actor = checkActor(actorInput);
  if (typeof input !== 'object' || input === null) throw invalidArgument('input', 'must be an object');
  const { enrollmentId, code, loginId } = input;
  if (typeof enrollmentId !== 'string' || !/^[A-Za-z0-9_-]{22}$/.test(enrollmentId))
    throw enrollmentNotFound();
  if (typeof code !== 'string') throw invalidArgument('input.code', 'must be a string');
  const replaces = checkReplaces('input.replaces', input.replaces);
  const { sessionId } = checkChangeOptions(
    input.sessionId === undefined ? undefined : { sessionId: input.sessionId },
  );
  // A first-login set-up completes the actor's own pending login, and only one that asked for a set-up.
  const ref = loginId === undefined ? null : parseLoginId(loginId);
  if (ref !== null && ref.userId !== actor.id) throw loginExpired();
  const now = ctx.now();
  const scope = { userId: actor.id, tenantId: actor.tenantId, actorId: actor.id };
  if (ref !== null) {
    const { offer } = await openLogin(ctx.store, ref, now);
    if (offer.state !== 'enroll') throw loginExpired();
  }

  // H2, H3: the pending enrollment is read only together with the actor's own id.
  const pending = await ctx.store.getPendingEnrollment(actor.id, enrollmentId, { now });
  if (pending === null || pending.otp === undefined) throw enrollmentNotFound();
  // The question the set-up began with, asked again on the facts of now (another set-up may have been
  // confirmed meanwhile, or `replaces` left out), with the proofs judged at the time the set-up began:
  // the actor gave them then, and scanning a code must not outlast them.
  const { subject, credentials, all, stored } = await loadSubject(ctx.store, actor);
  // A concurrent confirmation of this very set-up won: the answer is that of a confirmed one (H1).
  if (all.some((credential) => credential.id === enrollmentId)) throw enrollmentNotFound();
  const askedAt = await policyContext(ctx, actor, pending.createdAt);
  askSetUp(ctx, actor, { subject, credentials }, replaces, askedAt);
  // H9: a device older than a reset (one a reset cut short left behind) goes with this set-up.
  const resetAt = stored?.enrollmentResetAt;
  const replacing = [
    ...new Set([
      ...(replaces === undefined ? [] : [replaces]),
      ...all.filter((c) => resetAt !== undefined && c.createdAt < resetAt).map((c) => c.id),
    ]),
  ];
  // A confirmation code is a second-factor attempt like any other (E5): the user's counter applies.
  const userKey = userFailureKey(actor.id);
  const wait = lockRemaining(await readFailures(ctx, [userKey], now), now);
  if (wait !== null) throw lockedOut(wait);

  const outcome = checkOtp(ctx, pending, code, now);
  if (!outcome.valid) {
    // One store step: the count and its audit record, which the store completes with the counts.
    const states = await countWrongAnswer(ctx, scope, {
      login: null,
      keys: [userKey],
      now,
      type: 'enrollment.failed',
      data: { method: 'totp', enrollmentId },
    });
    const lock = lockRemaining(states, now);
    throw lock === null ? otpInvalid() : lockedOut(lock);
  }
  const lifecycle = ctx.policy.lifecycle();
  // H1: exactly one concurrent confirmation activates it; the confirming step is recorded with it, and a
  // replaced device goes in the same step (H4).
  const {
    result: confirmed,
    change,
    announce,
  } = await withRevocation(
    ctx,
    scope,
    lifecycle.revokeOtherSessionsOnEnable,
    'enabled',
    sessionId,
    async () => {
      const result = await ctx.store.confirmEnrollment(actor.id, enrollmentId, {
        now,
        lastUsedStep: outcome.step,
        ...(replacing.length === 0 ? {} : { replaces: replacing }),
      });
      if (result.status !== 'ok') throw enrollmentNotFound();
      return result;
    },
  );
  for (const id of replacing) ctx.credentials.delete(actor.id, id);
  await Promise.all([
    ctx.store.clearFailures(userKey),
    // A set-up after a reset settles it.
    patchSettings(ctx, actor, now, { enrollmentResetAt: null, graceStartedAt: null }),
  ]);
  await emit(ctx, scope, 'enrollment.confirmed', now, {
    method: 'totp',
    credentialId: confirmed.credential.id,
    ...(replaces === undefined ? {} : { replaced: replaces }),
  });

  const backupCodes = await issueFirstBackupCodes(ctx, scope, now);
  const login = ref === null ? null : await completeEnrollLogin(ctx, ref, scope, now);
  await announce();
  return {
    credentialId: enrollmentId,
    method: 'totp',
    backupCodes,
    backupCodesAcknowledgementRequired: backupCodes !== null && lifecycle.backupCodesAcknowledgementRequired,
    at: now,
    sessionEpoch: login?.sessionEpoch ?? change.sessionEpoch,
    login,
  };
}

/**
 * The first backup codes, when the policy issues them with a device and the user holds none; `null`
 * otherwise. @internal
 */
export async function issueFirstBackupCodes(
  ctx: ServiceContext,
  scope: EventScope,
  now: number,
): Promise<string[] | null> {
  const lifecycle = ctx.policy.lifecycle();
  if (!lifecycle.issueBackupCodes) return null;
  try {
    const issued = await issueBackupCodes(ctx.store, scope.userId, {
      hasher: ctx.hasher,
      now,
      count: lifecycle.backupCodeCount,
      random: ctx.random,
    });
    await emit(ctx, scope, 'backup_codes.issued', now, { count: issued.codes.length });
    return issued.codes;
  } catch (error) {
    // A user who already holds a set (a second device) keeps it: replacing it is regeneration (F6).
    if (!(isSecondFactorError(error) && error.code === 'conflict')) throw error;
    return null;
  }
}

/**
 * Completes the first-login set-up's pending login: the device was just confirmed (a code of the new app,
 * or a linked chat's `/start`), which is the login's second factor. The device is active even if the login
 * can no longer complete (it expired meanwhile): the user then signs in again, with the device. @internal
 */
export async function completeEnrollLogin(
  ctx: ServiceContext,
  ref: LoginRef,
  scope: EventScope,
  now: number,
  method: Method = 'totp',
): Promise<LoginSuccess> {
  const event = makeEvent(ctx, scope, 'login.succeeded', now, {
    method,
    fallback: false,
    enrolled: true,
  });
  const done = await ctx.store.completeLogin(ref.userId, ref.challengeId, { now, audit: event });
  if (done.status !== 'ok') throw loginExpired();
  await notify(ctx, event);
  return { userId: ref.userId, method, fallback: false, at: now, sessionEpoch: done.sessionEpoch };
}
