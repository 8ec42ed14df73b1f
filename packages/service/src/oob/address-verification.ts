import type { Actor } from '@secondfactor/policy';
import type { CredentialRecord } from '@secondfactor/store';
import {
  askSetUp,
  completeEnrollLogin,
  type EnrollmentConfirmed,
  issueFirstBackupCodes,
} from '../enrollment';
import {
  codeExpired,
  enrollmentNotFound,
  invalidArgument,
  lockedOut,
  loginExpired,
  otpInvalid,
} from '../errors';
import { type EventScope, emit } from '../events';
import { patchSettings } from '../manage';
import type { ServiceContext } from '../options';
import { openLogin, parseLoginId } from '../pending-login';
import { checkChangeOptions, withRevocation } from '../sessions';
import { checkActor, loadSubject, policyContext, userFailureKey } from '../subject';
import { countWrongAnswer, lockRemaining, readFailures } from '../throttle';
import { openPendingAddress, replacedDevice, scopeOf, verifyChallengeId } from './addresses';
import { consumeCode, normalizeCode } from './challenge';
import { isOobMethod } from './codes';
import { addressHint } from './hint';
/**
 * What `verifyAddress` takes.
 *
 * @example
 * ```ts
 * import type { VerifyAddressInput } from '@secondfactor/service';
 *
 * const input: VerifyAddressInput = { enrollmentId: session.pendingAddress, code: body.code };
 * ```
 */
export interface VerifyAddressInput {
  enrollmentId: string;
  /** The code the user received. */
  code: string;
  /** The host's id of the request's session, kept when enabling signs the other sessions out (I5). */
  sessionId?: string | undefined;
  /**
   * First-login set-up: the `loginId` of a `startLogin` that answered `enroll` with this method among its
   * methods. The verified address completes that login (`login` of the answer), as a first app code does.
   */
  loginId?: string | undefined;
}

/** @internal See `TwoFactor.verifyAddress`. */
export async function verifyAddress(
  ctx: ServiceContext,
  actorInput: Actor,
  input: VerifyAddressInput,
): Promise<EnrollmentConfirmed> {
  const actor = checkActor(actorInput);
  if (typeof input !== 'object' || input === null) throw invalidArgument('input', 'must be an object');
  if (typeof input.code !== 'string') throw invalidArgument('input.code', 'must be a string');
  const { sessionId } = checkChangeOptions(
    input.sessionId === undefined ? undefined : { sessionId: input.sessionId },
  );
  if (input.loginId !== undefined && typeof input.loginId !== 'string') {
    throw invalidArgument('input.loginId', 'must be a string');
  }
  // A first-login set-up completes the actor's own pending login, and only one that asked for a set-up.
  const ref = input.loginId === undefined ? null : parseLoginId(input.loginId);
  if (ref !== null && ref.userId !== actor.id) throw loginExpired();
  const now = ctx.now();
  const scope = scopeOf(actor);
  const { pending, address } = await openPendingAddress(ctx, actor, input.enrollmentId, now);
  const { enrollmentId, method, replaces } = address;
  if (ref !== null) {
    const { offer } = await openLogin(ctx.store, ref, now);
    if (offer.state !== 'enroll' || !offer.methods.includes(method)) throw loginExpired();
  }

  // The question the set-up began with, asked again on the facts of now, with the proofs judged at the
  // time it began (as for an authenticator app).
  const loaded = await loadSubject(ctx.store, actor);
  const old = replaces === undefined ? undefined : replacedDevice(loaded.all, replaces, method);
  askSetUp(ctx, actor, loaded, replaces, await policyContext(ctx, actor, pending.createdAt), method);

  // A confirmation code is a second-factor attempt like any other (E5): the user's counter applies.
  const userKey = userFailureKey(actor.id);
  const wait = lockRemaining(await readFailures(ctx, [userKey], now), now);
  if (wait !== null) throw lockedOut(wait);
  const code = normalizeCode(input.code);
  const outcome =
    code === null
      ? 'mismatch'
      : await consumeCode(
          ctx,
          { userId: actor.id, challengeId: verifyChallengeId(enrollmentId), purpose: 'enroll' },
          code,
          now,
        );
  if (outcome === 'expired') throw codeExpired();
  if (outcome === 'consumed' || outcome === 'not_found') throw enrollmentNotFound();
  if (outcome !== 'ok') {
    // One store step: the count and its audit record, which the store completes with the counts.
    const states = await countWrongAnswer(ctx, scope, {
      login: null,
      keys: [userKey],
      now,
      type: 'enrollment.failed',
      data: { method, enrollmentId },
    });
    const lock = lockRemaining(states, now);
    throw lock === null ? otpInvalid() : lockedOut(lock);
  }

  const lifecycle = ctx.policy.lifecycle();
  const { result, change, announce } = await withRevocation(
    ctx,
    scope,
    lifecycle.revokeOtherSessionsOnEnable,
    'enabled',
    sessionId,
    async () => {
      const confirmed = await ctx.store.confirmEnrollment(actor.id, enrollmentId, {
        now,
        ...(replaces === undefined ? {} : { replaces: [replaces] }),
      });
      if (confirmed.status !== 'ok') throw enrollmentNotFound();
      return confirmed;
    },
  );
  await Promise.all([
    ctx.store.clearFailures(userKey),
    patchSettings(ctx, actor, now, { enrollmentResetAt: null, graceStartedAt: null }),
  ]);
  await emit(ctx, scope, 'enrollment.confirmed', now, {
    method,
    credentialId: result.credential.id,
    hint: addressHint(method, address.address),
    ...(replaces === undefined ? {} : { replaced: replaces }),
  });
  if (old?.address !== undefined) await notifyOldAddress(ctx, scope, old, now);
  const backupCodes = await issueFirstBackupCodes(ctx, scope, now);
  const login = ref === null ? null : await completeEnrollLogin(ctx, ref, scope, now, method);
  await announce();
  return {
    credentialId: result.credential.id,
    method,
    backupCodes,
    backupCodesAcknowledgementRequired: backupCodes !== null && lifecycle.backupCodesAcknowledgementRequired,
    at: now,
    sessionEpoch: login?.sessionEpoch ?? change.sessionEpoch,
    login,
  };
}

/**
 * G9, H7: the number or address that was replaced is told, so a change the owner did not make does not
 * go unnoticed. A failing provider does not undo the change (it is done); the event records the attempt
 * either way.
 */
async function notifyOldAddress(ctx: ServiceContext, scope: EventScope, old: CredentialRecord, now: number) {
  const { email, sms } = ctx.channels;
  const to = old.address;
  if (to === undefined || !isOobMethod(old.kind)) return;
  let delivered = true;
  try {
    if (old.kind === 'email') {
      if (email?.sendNotice === undefined) return;
      await email.sendNotice(
        to,
        { kind: 'address_changed', issuer: ctx.issuer, method: 'email', at: now },
        { userId: scope.userId, ...(scope.tenantId === undefined ? {} : { tenantId: scope.tenantId }) },
      );
    } else {
      if (sms === undefined) return;
      await sms.send(
        to,
        `${ctx.issuer}: the phone number for your sign-in codes was changed. If you did not do this, contact support now.`,
      );
    }
  } catch {
    delivered = false;
  }
  await emit(ctx, scope, 'address.change_notified', now, {
    method: old.kind,
    credentialId: old.id,
    hint: addressHint(old.kind, to),
    delivered,
  });
}
