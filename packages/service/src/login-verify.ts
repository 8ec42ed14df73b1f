/**
 * @module
 * The code of a pending login, checked and recorded. A success is one store step (`completeLogin`):
 * the replay guard or the backup code's single use, the lock check, the counters' reset (E6), the login's
 * completion and its audit record commit together or not at all. With the sealed credential in the
 * process cache that step is the only call after reading the login (the warm path); a refusal is then
 * explained by reading again, on the failure path only. Failures count per user and per credential,
 * across logins (E1, E2): starting a new login resets nothing.
 */
import { normalizeBackupCode } from '@secondfactor/backup-codes';
import type { Method } from '@secondfactor/core';
import type { CredentialRecord } from '@secondfactor/store';
import { lockedOut, loginExpired, otpInvalid, otpReplayed } from './errors';
import { type EventScope, emit, makeEvent, notify } from './events';
import type { LoginSuccess } from './login';
import type { ServiceContext } from './options';
import { checkOtp } from './otp-check';
import type { LoginRef } from './pending-login';
import { credentialFailureKey, userFailureKey } from './subject';
import { countWrongAnswer, lockRemaining } from './throttle';

/** The pending login being answered. @internal */
export interface LoginAttempt {
  ref: LoginRef;
  scope: EventScope;
  now: number;
  /** The method answered is one of the login's fallback methods. */
  fallback: boolean;
}

// The length of a default-format backup code, for the decoy digest of a malformed one (I11).
const PLACEHOLDER_CODE = '0'.repeat(16);

const usable = (credential: CredentialRecord | null, method: Method): credential is CredentialRecord =>
  credential !== null && credential.kind === method && credential.otp !== undefined;

/** Verifies an authenticator-app code (TOTP or HOTP) and completes the login. @internal */
export async function verifyOtpLogin(
  ctx: ServiceContext,
  login: LoginAttempt,
  method: Method,
  credentialId: string,
  code: string,
): Promise<LoginSuccess> {
  const { ref, scope, now } = login;
  const keys = [userFailureKey(ref.userId), credentialFailureKey(credentialId)];
  // First from the cache (warm: one store call from here on success); a refusal on a cached copy is
  // tried once more from the store, which may have rotated, replaced or removed it since.
  // The step a cached copy matched before the store refused it: if the stored copy has used it since,
  // the code is a replay (concurrent submissions of one code), not a guess to count.
  let warmStep: number | undefined;
  for (let cached = ctx.credentials.get(ref.userId, credentialId); ; cached = undefined) {
    const warm = cached !== undefined;
    let credential = cached;
    if (credential === undefined) {
      const read = await ctx.store.getCredentialForVerification(ref.userId, credentialId, {
        now,
        failureKeys: keys,
      });
      // H9: a device removed since the login started (or another user's id) answers like an ended login.
      if (!usable(read.credential, method)) throw loginExpired();
      credential = read.credential;
      const wait = lockRemaining(read.failures, now);
      if (wait !== null) return refuseLocked(ctx, scope, method, wait, now);
      ctx.credentials.set(credential);
    }
    const outcome = checkOtp(ctx, credential, code, now);
    if (!outcome.valid && warm) {
      // A cached copy may be stale (a secret replaced under the same id): only the stored one may say
      // a code is wrong or used. The extra read is paid on the failure path only.
      ctx.credentials.delete(ref.userId, credentialId);
      continue;
    }
    const usedSince = warmStep !== undefined && (credential.lastUsedStep ?? -1) >= warmStep;
    if (!outcome.valid && (outcome.reason === 'replayed' || usedSince))
      return refuseReplay(ctx, scope, method, credentialId, now);
    if (!outcome.valid) return failed(ctx, login, method, keys);

    const event = makeEvent(ctx, scope, 'login.succeeded', now, {
      method,
      fallback: login.fallback,
      credentialId,
    });
    const sealed = credential.otp?.secretCiphertext;
    const done = await ctx.store.completeLogin(ref.userId, ref.challengeId, {
      now,
      otp: { credentialId, step: outcome.step, driftSteps: outcome.driftSteps, ifSecret: sealed },
      unlessLocked: keys,
      clearFailures: keys,
      audit: event,
    });
    if (done.status === 'ok') {
      ctx.credentials.set({
        ...credential,
        lastUsedStep: outcome.step,
        lastUsedAt: now,
        ...(outcome.driftSteps === undefined ? {} : { driftSteps: outcome.driftSteps }),
      });
      await notify(ctx, event);
      return {
        userId: ref.userId,
        method,
        fallback: login.fallback,
        at: now,
        sessionEpoch: done.sessionEpoch,
      };
    }
    ctx.credentials.delete(ref.userId, credentialId);
    if (warm) {
      warmStep = outcome.step;
      continue;
    }
    // The failure path only: read again to tell a lock from a replay from an ended login or device.
    const again = await ctx.store.getCredentialForVerification(ref.userId, credentialId, {
      now,
      failureKeys: keys,
    });
    const lock = lockRemaining(again.failures, now);
    if (lock !== null) return refuseLocked(ctx, scope, method, lock, now);
    if (usable(again.credential, method) && (again.credential.lastUsedStep ?? -1) >= outcome.step) {
      return refuseReplay(ctx, scope, method, credentialId, now);
    }
    throw loginExpired();
  }
}

/** Verifies a backup code and completes the login; it shares the user's failure budget (F10). @internal */
export async function verifyBackupCodeLogin(
  ctx: ServiceContext,
  login: LoginAttempt,
  code: string,
): Promise<LoginSuccess> {
  const { ref, scope, now } = login;
  const method: Method = 'backup_code';
  const userKey = userFailureKey(ref.userId);
  // F8: normalised before hashing, so every spelling of a code has one digest.
  const normalized = normalizeBackupCode(code);
  const salt = ctx.hasher.mode === 'scrypt' ? await saltOf(ctx, ref.userId) : undefined;
  // I11: a malformed code costs the same digest work, then counts like a wrong one.
  const digest = await ctx.hasher.digest(ref.userId, normalized ?? PLACEHOLDER_CODE, salt);
  if (normalized === null) return failed(ctx, login, method, [userKey]);

  const event = makeEvent(ctx, scope, 'login.succeeded', now, { method, fallback: login.fallback });
  const done = await ctx.store.completeLogin(ref.userId, ref.challengeId, {
    now,
    backupCode: { digest },
    unlessLocked: [userKey],
    clearFailures: [userKey],
    audit: event,
  });
  if (done.status === 'ok') {
    await notify(ctx, event);
    return {
      userId: ref.userId,
      method,
      fallback: login.fallback,
      at: now,
      sessionEpoch: done.sessionEpoch,
      backupCodesRemaining: done.backupCodesRemaining ?? 0,
    };
  }
  // Refused: a lock, an ended login, or a code that is not an unused one of the user's set.
  const [state, challenge] = await Promise.all([
    ctx.store.getFailures(userKey, { now }),
    ctx.store.getChallenge(ref.userId, ref.challengeId),
  ]);
  const lock = lockRemaining([state], now);
  if (lock !== null) return refuseLocked(ctx, scope, method, lock, now);
  if (challenge === null || challenge.consumedAt !== undefined || now >= challenge.expiresAt) {
    throw loginExpired();
  }
  return failed(ctx, login, method, [userKey]);
}

async function saltOf(ctx: ServiceContext, userId: string): Promise<string | undefined> {
  const set = await ctx.store.getBackupCodeSet(userId);
  return set?.salt ?? ctx.hasher.newSalt();
}

/** Refuses a code because of a lock, audited (E1, E8). @internal */
export async function refuseLocked(
  ctx: ServiceContext,
  scope: EventScope,
  method: Method,
  retryAfterMs: number,
  now: number,
): Promise<never> {
  await emit(ctx, scope, 'login.locked_out', now, { method, retryAfterMs });
  throw lockedOut(retryAfterMs);
}

/**
 * A replay is not a guess: it is audited (D6) but not counted, so a user's own double submit cannot lock
 * him out. @internal
 */
async function refuseReplay(
  ctx: ServiceContext,
  scope: EventScope,
  method: Method,
  credentialId: string,
  now: number,
): Promise<never> {
  await emit(ctx, scope, 'login.replayed', now, { method, credentialId });
  throw otpReplayed();
}

/**
 * Counts a wrong code on `keys` and on the pending login, audited, in one store step (`failLogin`);
 * throws `otp_invalid` or the lock. @internal
 */
export async function failed(
  ctx: ServiceContext,
  login: LoginAttempt,
  method: Method,
  keys: readonly string[],
): Promise<never> {
  const { ref, scope, now } = login;
  const states = await countWrongAnswer(ctx, scope, {
    login: ref,
    keys,
    now,
    type: 'login.failed',
    data: { method },
  });
  const lock = lockRemaining(states, now);
  // The failure that reaches the limit already answers with the lock and its wait (E8).
  throw lock === null ? otpInvalid() : lockedOut(lock);
}
