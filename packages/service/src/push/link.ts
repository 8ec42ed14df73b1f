/**
 * @module
 * Linking a Telegram chat: `linkTelegram` asks the policy (as for any new device), keeps a pending
 * enrollment of kind `push` whose id is the random part of a one-time token, and answers the deep link
 * that carries the token. The bot receives `/start <token>` on the webhook; the first such update takes
 * the pending enrollment (`deletePendingEnrollment`: exactly one caller gets it) and links its chat as a
 * device of kind `push` whose address is the chat id. A used, expired or unknown token links nothing.
 */
import type { TelegramProvider, TelegramStart } from '@secondfactor/channels';
import type { Actor } from '@secondfactor/policy';
import type { CredentialRecord } from '@secondfactor/store';
import { askSetUp } from '../enrollment';
import { invalidArgument, methodNotAllowed } from '../errors';
import { emit } from '../events';
import { checkName } from '../input';
import { patchSettings } from '../manage';
import type { ServiceContext } from '../options';
import { checkActor, loadSubject, policyContext } from '../subject';
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
}

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
}

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
  if (input !== undefined && (typeof input !== 'object' || input === null)) {
    throw invalidArgument('input', 'must be an object');
  }
  const label = input?.label === undefined ? 'Telegram' : checkName('input.label', input.label);
  const telegram = telegramOf(ctx);
  const random = pushRandom(ctx);
  // Refused before anything is stored: a user id the Bot API's start parameter cannot carry.
  const token = formatPushToken({ random, userId: actor.id });
  const now = ctx.now();
  const loaded = await loadSubject(ctx.store, actor);
  // H3: only the owner links a chat; the policy decides like for any new device (canEnroll, canAddMethod).
  askSetUp(ctx, actor, loaded, undefined, await policyContext(ctx, actor, now), 'push');
  const expiresAt = now + ctx.enrollmentTtlMs;
  await ctx.store.createPendingEnrollment({
    id: random,
    userId: actor.id,
    ...(actor.tenantId === undefined ? {} : { tenantId: actor.tenantId }),
    kind: 'push',
    label,
    createdAt: now,
    expiresAt,
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
  return { link: telegram.startLink(token), expiresAt };
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
  if (credentials.some((credential) => isPushChat(credential, chatId))) {
    return { outcome: 'refused', reason: 'already_linked' };
  }
  // The policy was asked when the link was made; the device limit is asked again on the facts of now.
  const linked = credentials.filter((credential) => credential.kind === 'push').length;
  if (linked >= ctx.policy.settings.methods.maxDevices.push) {
    return { outcome: 'refused', reason: 'too_many_devices' };
  }
  const tenantId = pending.tenantId;
  const credentialId = ctx.ids.id();
  await ctx.store.addCredential({
    id: credentialId,
    userId,
    ...(tenantId === undefined ? {} : { tenantId }),
    kind: 'push',
    label: pending.label,
    address: chatId,
    createdAt: now,
  });
  const user = { id: userId, roles: [], ...(tenantId === undefined ? {} : { tenantId }) };
  const settings = await ctx.store.getUserSettings(userId);
  // The policy's `enableOnLink`: linking the first chat switches 2FA on by itself.
  const enable = ctx.policy.lifecycle().enableOnLink.includes('push') && settings?.useTwoFactor !== true;
  await patchSettings(ctx, user, now, {
    enrollmentResetAt: null,
    graceStartedAt: null,
    ...(enable ? { useTwoFactor: true } : {}),
  });
  await emit(ctx, { userId, tenantId, actorId: userId }, 'push.linked', now, {
    method: 'push',
    credentialId,
    hint: chatHint(chatId),
    enabled: enable,
  });
  return { outcome: 'linked' };
}
