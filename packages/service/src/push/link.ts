/**
 * @module
 * Linking a Telegram chat: `linkTelegram` asks the policy (as for any new device), keeps a pending
 * enrollment of kind `push` whose id is the random part of a one-time token, and answers the deep link
 * that carries the token. The bot receives `/start <token>` on the webhook; the first such update takes
 * the pending enrollment (`deletePendingEnrollment`: exactly one caller gets it) and links its chat as a
 * device of kind `push` whose address is the chat id. A used, expired or unknown token links nothing.
 */

import { sha256 } from '@noble/hashes/sha2.js';
import type { TelegramProvider, TelegramStart } from '@secondfactor/channels';
import { isSecondFactorError } from '@secondfactor/core';
import type { Actor } from '@secondfactor/policy';
import { assertId, type CredentialRecord } from '@secondfactor/store';
import {
  askSetUp,
  completeEnrollLogin,
  type EnrollmentConfirmed,
  issueFirstBackupCodes,
} from '../enrollment';
import { enrollmentNotFound, invalidArgument, loginExpired, methodNotAllowed } from '../errors';
import { emit } from '../events';
import { checkName, checkOptionsObject } from '../input';
import type { LoginSuccess } from '../login';
import { patchSettings } from '../manage';
import type { ServiceContext } from '../options';
import { openLogin, parseLoginId } from '../pending-login';
import { base64url } from '../random-id';
import { EPOCH_STEPS_PER_REVOCATION, withRevocation } from '../sessions';
import { checkActor, checkProofsAt, checkTenancy, loadSubject, policyContext } from '../subject';
import { chatHint } from './hint';
import { formatPushToken, parsePushToken, pushRandom } from './tokens';
import type { TelegramUpdateHandled } from './webhook';

/**
 * What `linkTelegram` takes.
 *
 * @example
 * ```ts
 * import type { LinkTelegramInput } from '@secondfactor/service';
 *
 * const input: LinkTelegramInput = { label: 'My Telegram' };
 * ```
 */
export interface LinkTelegramInput {
  /**
   * The device's name in the user's list.
   * @default 'Telegram'
   */
  label?: string | undefined;
  /**
   * The host's id of the session the link was made from: kept when linking the chat signs the user's
   * other sessions out (the policy's `revokeOtherSessionsOnEnable`, I5). It is stored until the chat is
   * linked, so pass a handle of the session (its record's id), never the secret its cookie carries.
   */
  sessionId?: string | undefined;
  /**
   * First-login set-up: the `loginId` of a `startLogin` that answered `enroll` (with `push` among its
   * methods). `linkTelegramStatus` then completes that login once the chat is linked.
   */
  loginId?: string | undefined;
}

/**
 * What `linkTelegramStatus` takes: the `linkId` of the link being waited for.
 *
 * @example
 * ```ts
 * import type { LinkTelegramStatusInput } from '@secondfactor/service';
 *
 * const input: LinkTelegramStatusInput = { linkId: session.pendingTelegramLink };
 * ```
 */
export interface LinkTelegramStatusInput {
  linkId: string;
}

/**
 * Where a link stands: `pending` until the bot receives its `/start`; then `linked`, with what a
 * confirmed set-up answers. The first `linked` answer carries the first backup codes (where the policy
 * issues them), the new session epoch and, for a first-login set-up, the completed login; later answers
 * carry `null` in their place.
 *
 * @example
 * ```ts
 * import type { TelegramLinkStatus } from '@secondfactor/service';
 *
 * const status: TelegramLinkStatus = await push.linkTelegramStatus(actor, { linkId });
 * if (status.state === 'linked' && status.backupCodes !== null) showBackupCodes(status.backupCodes);
 * ```
 */
export type TelegramLinkStatus =
  | { state: 'pending'; expiresAt: number }
  | ({ state: 'linked' } & EnrollmentConfirmed);

/**
 * What `linkTelegram` answers: show `link` (a button or a QR code); it opens the bot, which then links
 * the chat. It works once, until `expiresAt`.
 *
 * @example
 * ```ts
 * import type { TelegramLink } from '@secondfactor/service';
 *
 * const { link }: TelegramLink = await push.linkTelegram(actor, {});
 * ```
 */
export interface TelegramLink {
  /** `https://t.me/<bot>?start=<one-time token>`. */
  link: string;
  /** When the token stops working (Unix ms). */
  expiresAt: number;
  /** Pass to `linkTelegramStatus` to learn when the chat is linked; becomes the new device's id. */
  linkId: string;
}

const LINK_ID = /^[A-Za-z0-9_-]{22}$/;
/** How long after its link expires a link's report waits for the browser to ask for it. */
const REPORT_GRACE_MS = 10 * 60_000;

/**
 * A link's id, and its device's once linked: derived one way from the token's random part, so the
 * token (a capability while the link is open) never shows in a device list, an event or a URL.
 */
const linkIdOf = (random: string): string =>
  base64url(sha256(new TextEncoder().encode(`secondfactor telegram link\u0000${random}`))).slice(0, 22);

/**
 * The challenge that keeps a link's expiry, session and login until the browser is told the outcome.
 */
const linkChallengeId = (linkId: string): string => `${linkId}.link`;

/** The provider, or `method_not_allowed` without one. @internal */
export function telegramOf(ctx: ServiceContext): TelegramProvider {
  if (ctx.telegram === undefined) throw methodNotAllowed('push');
  return ctx.telegram;
}

/** @internal See `TelegramPush.linkTelegram`. */
export async function linkTelegram(
  ctx: ServiceContext,
  actorInput: Actor,
  input?: LinkTelegramInput,
): Promise<TelegramLink> {
  const actor = checkActor(actorInput);
  const fields = checkOptionsObject('input', input, ['label', 'sessionId', 'loginId']);
  const label = fields.label === undefined ? 'Telegram' : checkName('input.label', fields.label);
  if (fields.sessionId !== undefined) assertId('input.sessionId', fields.sessionId);
  const sessionId = fields.sessionId as string | undefined;
  const loginId = fields.loginId;
  if (loginId !== undefined && typeof loginId !== 'string') {
    throw invalidArgument('input.loginId', 'must be a string');
  }
  const telegram = telegramOf(ctx);
  const random = pushRandom(ctx);
  // Refused before anything is stored: a user id the Bot API's start parameter cannot carry.
  const token = formatPushToken({ random, userId: actor.id });
  const now = ctx.now();
  // A first-login set-up completes the actor's own pending login, and only one that asked for a set-up.
  if (loginId !== undefined) {
    const ref = parseLoginId(loginId);
    if (ref.userId !== actor.id) throw loginExpired();
    const { offer } = await openLogin(ctx.store, ref, now);
    if (offer.state !== 'enroll' || !offer.methods.includes('push')) throw loginExpired();
  }
  const loaded = await loadSubject(ctx.store, actor);
  // H3: only the owner links a chat; the policy decides like for any new device (canEnroll, canAddMethod).
  askSetUp(ctx, actor, loaded, undefined, await policyContext(ctx, actor, now), 'push');
  const expiresAt = now + ctx.enrollmentTtlMs;
  const linkId = linkIdOf(random);
  await ctx.store.createPendingEnrollment({
    id: random,
    userId: actor.id,
    ...(actor.tenantId === undefined ? {} : { tenantId: actor.tenantId }),
    kind: 'push',
    label,
    createdAt: now,
    expiresAt,
  });
  await ctx.store.createChallenge({
    id: linkChallengeId(linkId),
    userId: actor.id,
    ...(actor.tenantId === undefined ? {} : { tenantId: actor.tenantId }),
    kind: 'push',
    purpose: 'enroll',
    digest: null,
    createdAt: now,
    expiresAt: expiresAt + REPORT_GRACE_MS,
    maxAttempts: 1,
    data: {
      ...(sessionId === undefined ? {} : { session: sessionId }),
      ...(loginId === undefined ? {} : { login: loginId }),
      until: expiresAt,
      // The epoch the link was made under: its session is kept only while no other change revoked it.
      epoch: await ctx.store.getSessionEpoch(actor.id),
    },
  });
  // The token is a capability: the event names the method only.
  await emit(
    ctx,
    { userId: actor.id, tenantId: actor.tenantId, actorId: actor.id },
    'enrollment.started',
    now,
    {
      method: 'push',
    },
  );
  return { link: telegram.startLink(token), expiresAt, linkId };
}

const isPushChat = (credential: CredentialRecord, chatId: string): boolean =>
  credential.kind === 'push' && credential.address === chatId;

/** `/start <token>` on the webhook: links the chat to the token's user, once. @internal */
export async function handleStart(ctx: ServiceContext, start: TelegramStart): Promise<TelegramUpdateHandled> {
  const token = parsePushToken(start.startToken);
  if (token === null) return { outcome: 'ignored', reason: 'invalid_start_token' };
  const { userId } = token;
  const now = ctx.now();
  const pending = await ctx.store.getPendingEnrollment(userId, token.random, { now });
  if (pending === null || pending.kind !== 'push') return { outcome: 'refused', reason: 'link_not_found' };
  // Exactly one delivery of this token (a replayed update, a second chat) takes it.
  if (!(await ctx.store.deletePendingEnrollment(userId, token.random))) {
    return { outcome: 'refused', reason: 'link_not_found' };
  }
  const chatId = String(start.chatId);
  const credentials = await ctx.store.listCredentials(userId);
  const refused = async (reason: 'already_linked' | 'too_many_devices'): Promise<TelegramUpdateHandled> => {
    // The browser waiting on the link learns it failed (its link is then not found).
    await ctx.store.deleteChallenge(userId, linkChallengeId(linkIdOf(token.random)));
    return { outcome: 'refused', reason };
  };
  if (credentials.some((credential) => isPushChat(credential, chatId))) return refused('already_linked');
  // The policy was asked when the link was made; the device limit is asked again on the facts of now.
  const linked = credentials.filter((credential) => credential.kind === 'push').length;
  if (linked >= ctx.policy.settings.methods.maxDevices.push) return refused('too_many_devices');
  const tenantId = pending.tenantId;
  // The device takes the link's id, so the browser waiting on `linkTelegramStatus` finds it.
  const credentialId = linkIdOf(token.random);
  const scope = { userId, tenantId, actorId: userId };
  const user = { id: userId, roles: [], ...(tenantId === undefined ? {} : { tenantId }) };
  const report = await ctx.store.getChallenge(userId, linkChallengeId(credentialId));
  // The link's session is kept only if nothing signed it out since the link was made.
  const keep =
    typeof report?.data?.session === 'string' &&
    report.data.epoch === (await ctx.store.getSessionEpoch(userId))
      ? report.data.session
      : undefined;
  const settings = await ctx.store.getUserSettings(userId);
  // The policy's `enableOnLink`: linking the first chat switches 2FA on by itself.
  const enable = ctx.policy.lifecycle().enableOnLink.includes('push') && settings?.useTwoFactor !== true;
  // A linked chat is an active device: like any confirmed set-up, it signs the other sessions out where
  // the policy says so, keeping the one the link was made from (I5).
  const { announce } = await withRevocation(
    ctx,
    scope,
    ctx.policy.lifecycle().revokeOtherSessionsOnEnable,
    'enabled',
    keep,
    async () => {
      await ctx.store.addCredential({
        id: credentialId,
        userId,
        ...(tenantId === undefined ? {} : { tenantId }),
        kind: 'push',
        label: pending.label,
        address: chatId,
        createdAt: now,
      });
      await patchSettings(ctx, user, now, {
        enrollmentResetAt: null,
        graceStartedAt: null,
        ...(enable ? { useTwoFactor: true } : {}),
      });
    },
  );
  await emit(ctx, scope, 'push.linked', now, {
    method: 'push',
    credentialId,
    hint: chatHint(chatId),
    enabled: enable,
  });
  await announce();
  return { outcome: 'linked' };
}

/** @internal See `TelegramPush.linkTelegramStatus`. */
export async function linkTelegramStatus(
  ctx: ServiceContext,
  actorInput: Actor,
  input: LinkTelegramStatusInput,
): Promise<TelegramLinkStatus> {
  const actor = checkActor(actorInput);
  const { linkId } = checkOptionsObject('input', input, ['linkId']);
  if (input === undefined) throw invalidArgument('input', 'must be an object');
  if (typeof linkId !== 'string') throw invalidArgument('input.linkId', 'must be a string');
  const now = ctx.now();
  // This call asks the policy nothing: its checks of the actor's tenant and proofs are made here.
  checkTenancy(ctx, 'actor', actor);
  checkProofsAt(actor, now);
  if (!LINK_ID.test(linkId)) throw enrollmentNotFound();
  // H3: read only together with the actor's own id.
  const chat = await ctx.store.getCredential(actor.id, linkId);
  const report = await ctx.store.getChallenge(actor.id, linkChallengeId(linkId));
  if (chat === null || chat.kind !== 'push') {
    const until = report?.data?.until;
    if (report === null || typeof until !== 'number' || now >= until) throw enrollmentNotFound();
    return { state: 'pending', expiresAt: until };
  }
  const scope = { userId: actor.id, tenantId: actor.tenantId, actorId: actor.id };
  const lifecycle = ctx.policy.lifecycle();
  const linked = {
    state: 'linked' as const,
    credentialId: chat.id,
    method: 'push' as const,
    at: chat.createdAt,
    backupCodesAcknowledgementRequired: false,
  };
  // The report goes out once: exactly one request deletes the link's challenge.
  if (report === null || !(await ctx.store.deleteChallenge(actor.id, linkChallengeId(linkId)))) {
    return { ...linked, backupCodes: null, sessionEpoch: null, login: null };
  }
  const backupCodes = await issueFirstBackupCodes(ctx, scope, now);
  const loginId = report.data?.login;
  let login: LoginSuccess | null = null;
  if (typeof loginId === 'string') {
    // The chat's `/start` was the set-up's proof of possession, as a first code is for an app. A login
    // that expired meanwhile stays expired: the user signs in again, with the chat.
    try {
      login = await completeEnrollLogin(ctx, parseLoginId(loginId), scope, now, 'push');
    } catch (error) {
      if (!(isSecondFactorError(error) && error.code === 'challenge_expired')) throw error;
    }
  }
  // The epoch to keep goes only to a link whose session the linking kept: no other change revoked it,
  // before the chat arrived (then nothing was kept) or after (then the epoch moved on again).
  const current = await ctx.store.getSessionEpoch(actor.id);
  const linkedEpoch =
    typeof report.data?.epoch === 'number' ? report.data.epoch + EPOCH_STEPS_PER_REVOCATION : null;
  const sessionEpoch =
    login?.sessionEpoch ??
    (lifecycle.revokeOtherSessionsOnEnable && current === linkedEpoch ? current : null);
  return {
    ...linked,
    backupCodes,
    backupCodesAcknowledgementRequired: backupCodes !== null && lifecycle.backupCodesAcknowledgementRequired,
    sessionEpoch,
    login,
  };
}
