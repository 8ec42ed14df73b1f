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
import type { Actor } from '@secondfactor/policy';
import { enrollmentNotFound, invalidArgument, lockedOut, otpInvalid, policyDenied } from './errors';
import { emit } from './events';
import type { ServiceContext } from './options';
import { randomId } from './random-id';
import { checkActor, loadSubject, policyContext, userFailureKey } from './subject';
import { lockRemaining, readFailures, registerFailures } from './throttle';
import { checkTotp } from './totp-check';

/** Options of `beginEnrollment`. */
export interface BeginEnrollmentOptions {
  /** The method to set up; this version sets up authenticator apps only. */
  method: 'totp';
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

/** What `confirmEnrollment` takes. */
export interface ConfirmEnrollmentInput {
  enrollmentId: string;
  /** A code from the app just set up. */
  code: string;
}

/** An activated device, and the backup codes that came with it (shown this once, F5). */
export interface EnrollmentConfirmed {
  credentialId: string;
  method: Method;
  /** The first backup codes when the policy issues them and the user had none; `null` otherwise. */
  backupCodes: string[] | null;
  /** The user must confirm the codes are saved ("I confirm that the codes are saved"). */
  backupCodesAcknowledgementRequired: boolean;
  /** When the code passed: the session's second-factor proof (`secondFactor: { at, method }`). */
  at: number;
}

function checkLabelPart(name: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.trim() === '' || value.length > 255) {
    throw invalidArgument(name, 'must be a non-empty string of at most 255 characters');
  }
  return value;
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
  const accountName = checkLabelPart('options.accountName', options.accountName, actor.id);
  if (accountName.includes(':')) throw invalidArgument('options.accountName', 'must not contain ":"');

  const now = ctx.now();
  // Only the owner enrolls (H3): the subject is the actor himself, and the policy checks it as well.
  const { subject } = await loadSubject(ctx.store, actor);
  const policyCtx = await policyContext(ctx, actor, now);
  const decision =
    subject.settings.enrollment === 'active'
      ? ctx.policy.canAddMethod(actor, subject, 'totp', policyCtx)
      : ctx.policy.canEnroll(actor, subject, 'totp', policyCtx);
  if (!decision.allowed) throw policyDenied(decision.reason, 'setting up totp');

  const { digits, periodSeconds, secretBytes } = ctx.policy.settings.otp;
  const enrollmentId = randomId(ctx.random);
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

/** @internal */
export async function confirmEnrollment(
  ctx: ServiceContext,
  actorInput: Actor,
  input: ConfirmEnrollmentInput,
): Promise<EnrollmentConfirmed> {
  const actor = checkActor(actorInput);
  if (typeof input !== 'object' || input === null) throw invalidArgument('input', 'must be an object');
  const { enrollmentId, code } = input;
  if (typeof enrollmentId !== 'string' || !/^[A-Za-z0-9_-]{22}$/.test(enrollmentId))
    throw enrollmentNotFound();
  if (typeof code !== 'string') throw invalidArgument('input.code', 'must be a string');
  const now = ctx.now();
  const scope = { userId: actor.id, tenantId: actor.tenantId, actorId: actor.id };

  // H2, H3: the pending enrollment is read only together with the actor's own id.
  const pending = await ctx.store.getPendingEnrollment(actor.id, enrollmentId, { now });
  if (pending === null || pending.otp === undefined) throw enrollmentNotFound();
  // A confirmation code is a second-factor attempt like any other (E5): the user's counter applies.
  const userKey = userFailureKey(actor.id);
  const wait = lockRemaining(await readFailures(ctx, [userKey], now), now);
  if (wait !== null) throw lockedOut(wait);

  const outcome = checkTotp(ctx, pending, code, now);
  if (!outcome.valid) {
    const states = await registerFailures(ctx, [userKey], now);
    const lock = lockRemaining(states, now);
    await emit(ctx, scope, 'enrollment.failed', now, {
      method: 'totp',
      enrollmentId,
      failures: states[0]?.count ?? 0,
      locked: lock !== null,
    });
    throw lock === null ? otpInvalid() : lockedOut(lock);
  }
  // H1: exactly one concurrent confirmation activates it; the confirming step is recorded with it.
  const confirmed = await ctx.store.confirmEnrollment(actor.id, enrollmentId, {
    now,
    lastUsedStep: outcome.step,
  });
  if (confirmed.status !== 'ok') throw enrollmentNotFound();
  await ctx.store.clearFailures(userKey);
  await emit(ctx, scope, 'enrollment.confirmed', now, { method: 'totp', credentialId: enrollmentId });

  const lifecycle = ctx.policy.lifecycle();
  let backupCodes: string[] | null = null;
  if (lifecycle.issueBackupCodes) {
    try {
      const issued = await issueBackupCodes(ctx.store, actor.id, {
        hasher: ctx.hasher,
        now,
        count: lifecycle.backupCodeCount,
        random: ctx.random,
      });
      backupCodes = issued.codes;
      await emit(ctx, scope, 'backup_codes.issued', now, { count: issued.codes.length });
    } catch (error) {
      // A user who already holds a set (a second device) keeps it: replacing it is regeneration (F6).
      if (!(isSecondFactorError(error) && error.code === 'conflict')) throw error;
    }
  }
  return {
    credentialId: enrollmentId,
    method: 'totp',
    backupCodes,
    backupCodesAcknowledgementRequired: backupCodes !== null && lifecycle.backupCodesAcknowledgementRequired,
    at: now,
  };
}
