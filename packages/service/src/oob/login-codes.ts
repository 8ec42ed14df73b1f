/**
 * @module
 * Sign-in with a delivered code: `sendLoginCode` sends a code of the chosen method to one of the user's
 * addresses (a second call is a resend: the old code stops working, G6), and `verifyLogin` with that
 * method checks it once (G3) and completes the pending login in the store's one step (`completeLogin`
 * with neither an OTP nor a backup code). A wrong code counts like a wrong app code: on the user's
 * counter and on the pending login's own cap.
 */
import type { CredentialRecord } from '@secondfactor/store';
import {
  codeExpired,
  deviceNotFound,
  invalidArgument,
  loginExpired,
  methodNotAllowed,
  otpReplayed,
} from '../errors';
import { emit, makeEvent, notify } from '../events';
import type { LoginSuccess } from '../login';
import { failed, type LoginAttempt, refuseLocked } from '../login-verify';
import type { ServiceContext } from '../options';
import { openLogin, parseLoginId } from '../pending-login';
import { userFailureKey } from '../subject';
import { lockRemaining, readFailures } from '../throttle';
import { consumeCode, normalizeCode, storeCode } from './challenge';
import { isOobMethod, type OobMethod } from './codes';
import { canDeliver, type DeliveryChannel, prepareCode, sendCode, sendOrForget } from './deliver';
import { addressHint } from './hint';
import { takeSend } from './send-limits';

/**
 * What `sendLoginCode` takes.
 *
 * @example
 * ```ts
 * import type { SendLoginCodeInput } from '@secondfactor/service';
 *
 * const input: SendLoginCodeInput = { loginId: session.pendingLogin, method: 'sms' };
 * ```
 */
export interface SendLoginCodeInput {
  /** The `loginId` `startLogin` returned. */
  loginId: string;
  /** `email`, `sms` or `voice`: one the pending login offered. */
  method: OobMethod;
  /** One of the user's devices of `method` (from `LoginStart.devices`); the oldest when absent. */
  deviceId?: string | undefined;
}

/**
 * What `sendLoginCode` answers. The code itself is never part of it (G7).
 *
 * @example
 * ```ts
 * import type { LoginCodeSent } from '@secondfactor/service';
 *
 * const sent: LoginCodeSent = await twoFactor.sendLoginCode({ loginId, method: 'voice' });
 * const hint = sent.channel === 'voice' ? 'Type the last 4 digits of the calling number.' : 'Type the code we sent.';
 * ```
 */
export interface LoginCodeSent {
  /** When the code just sent expires (Unix ms). */
  expiresAt: number;
  /** How long the user waits before asking for another code. */
  resendAfterMs: number;
  /**
   * How the code went out: for `voice`, a flash call (the code is the last digits of the calling number)
   * until the policy's number of calls was placed, then an SMS to the same number.
   */
  channel: DeliveryChannel;
}

/** The challenge of a login's code of `method`, derived from the login's own challenge id. @internal */
export const loginCodeChallengeId = (loginChallengeId: string, method: OobMethod): string =>
  `${loginChallengeId}.${method}`;

const byAge = (a: CredentialRecord, b: CredentialRecord): number =>
  a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function checkInput(input: unknown): SendLoginCodeInput {
  if (typeof input !== 'object' || input === null) throw invalidArgument('input', 'must be an object');
  const { loginId, method, deviceId } = input as Record<string, unknown>;
  if (typeof method !== 'string') throw invalidArgument('input.method', 'must be a method name');
  if (deviceId !== undefined && (typeof deviceId !== 'string' || deviceId === '' || deviceId.length > 255)) {
    throw invalidArgument('input.deviceId', 'must be a credential id');
  }
  return {
    loginId: loginId as string,
    method: method as OobMethod,
    ...(deviceId === undefined ? {} : { deviceId }),
  };
}

/** @internal See `TwoFactor.sendLoginCode`. */
export async function sendLoginCode(
  ctx: ServiceContext,
  rawInput: SendLoginCodeInput,
): Promise<LoginCodeSent> {
  const input = checkInput(rawInput);
  const ref = parseLoginId(input.loginId);
  const now = ctx.now();
  const { challenge: login, offer } = await openLogin(ctx.store, ref, now);
  const { method } = input;
  const offered = offer.methods.includes(method) || offer.fallbackMethods.includes(method);
  if (offer.state !== 'challenge' || !offered || !isOobMethod(method) || !canDeliver(ctx, method)) {
    throw methodNotAllowed(method);
  }
  const devices = (await ctx.store.listCredentials(ref.userId))
    .filter(
      (credential) =>
        credential.kind === method &&
        credential.address !== undefined &&
        credential.switchedOffAt === undefined,
    )
    .sort(byAge);
  const device = input.deviceId === undefined ? devices[0] : devices.find((d) => d.id === input.deviceId);
  // Where the policy sends e-mail without a set-up, the login kept the host's verified address.
  const account = method === 'email' && input.deviceId === undefined ? offer.accountEmail : undefined;
  if (device?.address === undefined && account === undefined) {
    if (input.deviceId !== undefined) throw deviceNotFound();
    // H9: the address was removed since the login started.
    throw loginExpired();
  }
  const address = device?.address ?? (account as string);
  await takeSend(ctx, ref.userId, address, now);

  const challengeId = loginCodeChallengeId(ref.challengeId, method);
  const existing = await ctx.store.getChallenge(ref.userId, challengeId);
  const deliveredBefore = existing?.deliveries ?? 0;
  const delivery = {
    method,
    address,
    purpose: 'login' as const,
    userId: ref.userId,
    tenantId: login.tenantId,
    deliveredBefore,
  };
  const prepared = prepareCode(ctx, delivery);
  const stored = await storeCode(
    ctx,
    {
      userId: ref.userId,
      tenantId: login.tenantId,
      challengeId,
      method,
      purpose: 'login',
      notAfter: login.expiresAt,
      data: device === undefined ? { account: true } : { credentialId: device.id },
    },
    existing,
    prepared,
    now,
  );
  if (stored === null) throw loginExpired();
  await sendOrForget(ctx, ref.userId, challengeId, () => sendCode(ctx, delivery, prepared));
  await emit(ctx, { userId: ref.userId, tenantId: login.tenantId }, 'code.sent', now, {
    method,
    channel: prepared.channel,
    purpose: 'login',
    hint: addressHint(method, address),
    deliveries: deliveredBefore + 1,
    ...(device === undefined ? { account: true } : { credentialId: device.id }),
  });
  return { expiresAt: stored.expiresAt, resendAfterMs: ctx.sendLimits.cooldownMs, channel: prepared.channel };
}

/** Checks a delivered code of a pending login and completes the login. @internal */
export async function verifyCodeLogin(
  ctx: ServiceContext,
  login: LoginAttempt,
  method: OobMethod,
  typed: string,
): Promise<LoginSuccess> {
  const { ref, scope, now } = login;
  const userKey = userFailureKey(ref.userId);
  const wait = lockRemaining(await readFailures(ctx, [userKey], now), now);
  if (wait !== null) return refuseLocked(ctx, scope, method, wait, now);
  const code = normalizeCode(typed);
  // I11: a malformed code counts like a wrong one.
  if (code === null) return failed(ctx, login, method, [userKey]);
  const challengeId = loginCodeChallengeId(ref.challengeId, method);
  const outcome = await consumeCode(ctx, { userId: ref.userId, challengeId, purpose: 'login' }, code, now);
  if (outcome === 'expired') throw codeExpired();
  // A concurrent request with the same code won: this one is a double submit, audited but not counted.
  if (outcome === 'consumed') {
    await emit(ctx, scope, 'login.replayed', now, { method });
    throw otpReplayed();
  }
  // A wrong code, a code of a challenge out of attempts, or a code before any was sent.
  if (outcome !== 'ok') return failed(ctx, login, method, [userKey]);

  const event = makeEvent(ctx, scope, 'login.succeeded', now, { method, fallback: login.fallback });
  const done = await ctx.store.completeLogin(ref.userId, ref.challengeId, {
    now,
    unlessLocked: [userKey],
    clearFailures: [userKey],
    audit: event,
  });
  if (done.status !== 'ok') {
    const lock = lockRemaining(await readFailures(ctx, [userKey], now), now);
    if (lock !== null) return refuseLocked(ctx, scope, method, lock, now);
    throw loginExpired();
  }
  await notify(ctx, event);
  return { userId: ref.userId, method, fallback: login.fallback, at: now, sessionEpoch: done.sessionEpoch };
}
