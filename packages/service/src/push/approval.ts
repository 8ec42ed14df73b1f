/**
 * @module
 * Sign-in with push approval. The pending login names its approval challenge (`startLogin` draws its
 * random id when push is offered); `sendLoginApproval` creates that challenge (kind `push`, one attempt,
 * the digest of "approve") and sends Approve / Deny to the user's linked chats. A press comes back on the
 * webhook and is one `consumeChallenge`: Approve carries the right digest and consumes the challenge,
 * Deny a wrong one and uses its single attempt, so of every press, replay and race exactly one decision
 * takes effect and the others find it `consumed` or `locked`. A Deny also ends the login. The browser
 * polls `verifyLogin` with method `push`; the poll that finds the approval completes the login
 * (`completeLogin`, exactly once).
 */
import type { TelegramDecision } from '@secondfactor/channels';
import { SecondFactorError } from '@secondfactor/core';
import type { CredentialRecord } from '@secondfactor/store';
import {
  DEFAULT_MESSAGES,
  deviceNotFound,
  invalidArgument,
  loginExpired,
  methodNotAllowed,
  type TwoFactorRefusal,
} from '../errors';
import { emit, makeEvent, notify } from '../events';
import type { LoginSuccess } from '../login';
import { type LoginAttempt, refuseLocked } from '../login-verify';
import { codeDigest } from '../oob/codes';
import { takeSend } from '../oob/send-limits';
import type { ServiceContext } from '../options';
import { type LoginOffer, openLogin, parseLoginId } from '../pending-login';
import { userFailureKey } from '../subject';
import { lockRemaining, readFailures } from '../throttle';
import { chatHint } from './hint';
import { telegramOf } from './link';
import { formatPushToken, parsePushToken } from './tokens';
import type { TelegramUpdateHandled } from './webhook';

/**
 * What `sendLoginApproval` takes.
 *
 * @example
 * ```ts
 * import type { SendLoginApprovalInput } from '@secondfactor/service';
 *
 * const input: SendLoginApprovalInput = { loginId, ip: request.ip, device: 'Firefox 128 on Linux' };
 * ```
 */
export interface SendLoginApprovalInput {
  /** The `loginId` `startLogin` returned. */
  loginId: string;
  /** The address the sign-in comes from, shown in the message. */
  ip?: string | undefined;
  /** The browser or device signing in (a user-agent summary), shown in the message. */
  device?: string | undefined;
  /**
   * One of the user's linked chats (from `LoginStart.devices`) when the policy does not send to every
   * one (`pushToAllDevices`); the oldest when absent.
   */
  deviceId?: string | undefined;
}

/**
 * What `sendLoginApproval` answers.
 *
 * @example
 * ```ts
 * import type { LoginApprovalSent } from '@secondfactor/service';
 *
 * const sent: LoginApprovalSent = await push.sendLoginApproval({ loginId });
 * ```
 */
export interface LoginApprovalSent {
  /** When the approval stops being accepted (Unix ms); poll `verifyLogin` until then. */
  expiresAt: number;
  /** Chats the message reached. */
  sent: number;
  /** How long before asking again (`sendLoginApproval` once more sends the same approval again). */
  resendAfterMs: number;
}

const APPROVE = 'approve';
const DENY = 'deny';

const approvalDigest = (ctx: ServiceContext, userId: string, approvalId: string, word: string): string =>
  codeDigest(ctx, { userId, challengeId: approvalId, purpose: 'login' }, word);

const byAge = (a: CredentialRecord, b: CredentialRecord): number =>
  a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const optionalText = (name: string, value: unknown): string | undefined => {
  if (value !== undefined && (typeof value !== 'string' || value.length > 1000)) {
    throw invalidArgument(name, 'must be a string of at most 1000 characters');
  }
  return value;
};

/** The push offer of a pending login, or `method_not_allowed`. */
function pushOffer(ctx: ServiceContext, offer: LoginOffer): string {
  const offered = offer.methods.includes('push') || offer.fallbackMethods.includes('push');
  if (offer.state !== 'challenge' || !offered || offer.pushApprovalId === undefined || !ctx.telegram) {
    throw methodNotAllowed('push');
  }
  return offer.pushApprovalId;
}

/** @internal See `TelegramPush.sendLoginApproval`. */
export async function sendLoginApproval(
  ctx: ServiceContext,
  input: SendLoginApprovalInput,
): Promise<LoginApprovalSent> {
  if (typeof input !== 'object' || input === null) throw invalidArgument('input', 'must be an object');
  const ip = optionalText('input.ip', input.ip);
  const device = optionalText('input.device', input.device);
  const { deviceId } = input;
  if (deviceId !== undefined && (typeof deviceId !== 'string' || deviceId === '' || deviceId.length > 255)) {
    throw invalidArgument('input.deviceId', 'must be a credential id');
  }
  const telegram = telegramOf(ctx);
  const ref = parseLoginId(input.loginId);
  const now = ctx.now();
  const { challenge: login, offer } = await openLogin(ctx.store, ref, now);
  const approvalId = pushOffer(ctx, offer);
  const chats = (await ctx.store.listCredentials(ref.userId))
    .filter(
      (credential) =>
        credential.kind === 'push' &&
        credential.address !== undefined &&
        credential.switchedOffAt === undefined,
    )
    .sort(byAge);
  const chosen = deviceId === undefined ? chats[0] : chats.find((chat) => chat.id === deviceId);
  if (chosen === undefined) {
    if (deviceId !== undefined) throw deviceNotFound();
    // H9: the chats were unlinked since the login started.
    throw loginExpired();
  }
  const targets = ctx.policy.lifecycle().pushToAllDevices && deviceId === undefined ? chats : [chosen];
  // Against prompt bombing: an approval round counts as one send to the user's Telegram (G8).
  await takeSend(ctx, ref.userId, `telegram\u0000${ref.userId}`, now);

  const existing = await ctx.store.getChallenge(ref.userId, approvalId);
  let expiresAt: number;
  if (existing === null) {
    const ttlSeconds = Math.min(ctx.policy.codeFormat('push').ttlSeconds ?? 300, 600);
    expiresAt = Math.min(now + ttlSeconds * 1000, login.expiresAt);
    await ctx.store.createChallenge({
      id: approvalId,
      userId: ref.userId,
      ...(login.tenantId === undefined ? {} : { tenantId: login.tenantId }),
      kind: 'push',
      purpose: 'login',
      digest: approvalDigest(ctx, ref.userId, approvalId, APPROVE),
      createdAt: now,
      expiresAt,
      // One decision: Approve consumes it, Deny uses the one attempt.
      maxAttempts: 1,
      data: { login: ref.challengeId },
    });
  } else {
    // A resend of an approval already decided or expired has nothing left to ask.
    if (existing.consumedAt !== undefined || existing.attempts > 0 || now >= existing.expiresAt) {
      throw loginExpired();
    }
    expiresAt = existing.expiresAt;
  }
  const approval = {
    approvalId: formatPushToken({ random: approvalId, userId: ref.userId }, 'loginId'),
    issuer: ctx.issuer,
    at: now,
    ...(ip === undefined ? {} : { ip }),
    ...(device === undefined ? {} : { device }),
  };
  const results = await Promise.allSettled(
    targets.map((chat) => telegram.sendApproval(Number(chat.address), approval)),
  );
  const sent = results.filter((result) => result.status === 'fulfilled').length;
  await emit(ctx, { userId: ref.userId, tenantId: login.tenantId }, 'push.approval_sent', now, {
    method: 'push',
    sent,
    failed: results.length - sent,
  });
  // One unreachable chat (a blocked bot) does not stop the others; none reached is the provider's error.
  const failure = results.find((result) => result.status === 'rejected');
  if (sent === 0 && failure !== undefined) throw failure.reason;
  return { expiresAt, sent, resendAfterMs: ctx.sendLimits.cooldownMs };
}

const approvalPending = (): SecondFactorError =>
  new SecondFactorError('challenge_not_found', DEFAULT_MESSAGES.approvalPending, {
    detail: { reason: 'approval_pending' satisfies TwoFactorRefusal },
  });

/** The poll of a push login: completes it once approved. @internal */
export async function verifyPushLogin(
  ctx: ServiceContext,
  login: LoginAttempt,
  offer: LoginOffer,
): Promise<LoginSuccess> {
  const { ref, scope, now } = login;
  const approvalId = pushOffer(ctx, offer);
  const approval = await ctx.store.getChallenge(ref.userId, approvalId);
  if (approval === null || approval.kind !== 'push') throw approvalPending();
  if (approval.consumedAt === undefined) {
    // Denied (the one attempt used) or expired: the login is over.
    if (approval.attempts >= approval.maxAttempts || now >= approval.expiresAt) throw loginExpired();
    throw approvalPending();
  }
  const userKey = userFailureKey(ref.userId);
  const event = makeEvent(ctx, scope, 'login.succeeded', now, { method: 'push', fallback: login.fallback });
  const done = await ctx.store.completeLogin(ref.userId, ref.challengeId, {
    now,
    unlessLocked: [userKey],
    clearFailures: [userKey],
    audit: event,
  });
  if (done.status !== 'ok') {
    const lock = lockRemaining(await readFailures(ctx, [userKey], now), now);
    if (lock !== null) return refuseLocked(ctx, scope, 'push', lock, now);
    throw loginExpired();
  }
  await notify(ctx, event);
  return {
    userId: ref.userId,
    method: 'push',
    fallback: login.fallback,
    at: now,
    sessionEpoch: done.sessionEpoch,
  };
}

const NOTICE = {
  approved: 'Sign-in approved.',
  denied: 'Sign-in denied.',
  refused: 'This sign-in request is no longer valid.',
} as const;

/** Approve or Deny pressed in a chat: the decision, if it is the first for a chat of the login's user. @internal */
export async function handleDecision(
  ctx: ServiceContext,
  update: TelegramDecision,
): Promise<TelegramUpdateHandled> {
  const telegram = telegramOf(ctx);
  const handled = await decide(ctx, update);
  const notice = handled.outcome === 'approved' || handled.outcome === 'denied' ? handled.outcome : 'refused';
  // The decision stands whatever the Bot API answers; the buttons go so the message cannot be pressed again.
  await Promise.allSettled([
    telegram.answerDecision(update, NOTICE[notice]),
    telegram.closeApproval(update.chatId, update.messageId, `${ctx.issuer}: ${NOTICE[notice]}`),
  ]);
  return handled;
}

async function decide(ctx: ServiceContext, update: TelegramDecision): Promise<TelegramUpdateHandled> {
  const token = parsePushToken(update.approvalId);
  if (token === null) return { outcome: 'refused', reason: 'approval_not_found' };
  const { userId, random: approvalId } = token;
  const now = ctx.now();
  const approval = await ctx.store.getChallenge(userId, approvalId);
  const loginId = approval?.data?.login;
  if (approval === null || approval.kind !== 'push' || typeof loginId !== 'string') {
    return { outcome: 'refused', reason: 'approval_not_found' };
  }
  // Only a chat linked to the login's user decides it (H3): the approval id alone is not enough.
  const chatId = String(update.chatId);
  const chat = (await ctx.store.listCredentials(userId)).find(
    (credential) =>
      credential.kind === 'push' && credential.address === chatId && credential.switchedOffAt === undefined,
  );
  if (chat === undefined) return { outcome: 'refused', reason: 'not_linked' };
  const word = update.decision === 'approve' ? APPROVE : DENY;
  const outcome = await ctx.store.consumeChallenge(userId, approvalId, {
    digest: approvalDigest(ctx, userId, approvalId, word),
    now,
  });
  const scope = { userId, tenantId: approval.tenantId, actorId: userId };
  const data = { method: 'push' as const, credentialId: chat.id, hint: chatHint(chatId) };
  if (update.decision === 'approve' && outcome === 'ok') {
    await emit(ctx, scope, 'push.approved', now, data);
    return { outcome: 'approved' };
  }
  if (update.decision === 'deny' && outcome === 'mismatch') {
    // A deny ends the login itself, not only its approval.
    await ctx.store.deleteChallenge(userId, loginId);
    await emit(ctx, scope, 'push.denied', now, data);
    return { outcome: 'denied' };
  }
  return { outcome: 'refused', reason: outcome === 'expired' ? 'expired' : 'already_decided' };
}
