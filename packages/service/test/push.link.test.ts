/**
 * Telegram push approval, linking: the deep link of `linkTelegram` opened in Telegram sends the bot
 * `/start <token>`, and the webhook links that chat to the user once (several chats per user, up to the
 * policy's `maxDevices.push`); a used, expired, forged or unsigned token links nothing.
 */
import { isSecondFactorError, type SecondFactorError } from '@secondfactor/core';
import { multiMethod } from '@secondfactor/policy';
import { telegramPush } from '@secondfactor/service';
import { afterEach, describe, expect, it } from 'vitest';
import { harness, newUser, rejection } from './fixtures';
import {
  deliver,
  linkChat,
  type PushHarness,
  pushHarness,
  SIGNED,
  signedIn,
  startToken,
} from './push-helpers';

let h: PushHarness;

function thrown(run: () => unknown): SecondFactorError {
  try {
    run();
  } catch (error) {
    if (isSecondFactorError(error)) return error;
    throw error;
  }
  throw new Error('expected a SecondFactorError');
}
afterEach(() => h.close());

describe('linking a chat', () => {
  it('the deep link opens the bot; its /start links the chat as a push device and switches 2FA on (enableOnLink)', async () => {
    h = await pushHarness();
    const user = newUser();
    const before = await h.twoFactor.startLogin(user);
    expect(before.state).toBe('done');

    const { link, expiresAt } = await h.push.linkTelegram(await signedIn(h, user), { label: 'My phone' });
    expect(link).toMatch(/^https:\/\/t\.me\/AcmeLoginBot\?start=[A-Za-z0-9_-]{18,64}$/);
    expect(expiresAt).toBe(h.clock() + 600_000);
    expect(await deliver(h, h.bot.userSends(42_000_001, `/start ${startToken(link)}`))).toEqual({
      outcome: 'linked',
    });

    const devices = await h.twoFactor.listDevices(await signedIn(h, user), user);
    expect(devices).toMatchObject([{ method: 'push', label: 'My phone' }]);
    const linked = h.events.find((event) => event.type === 'push.linked');
    expect(linked?.data).toMatchObject({ method: 'push', hint: 'chat ***01', enabled: true });
    // The chat id is personal data, the token a capability: neither is in an event.
    expect(JSON.stringify(h.events)).not.toContain('42000001');
    expect(JSON.stringify(h.events)).not.toContain(startToken(link).slice(0, 16));

    const after = await h.twoFactor.startLogin(user);
    expect(after).toMatchObject({ state: 'challenge', methods: ['push'] });
    expect(after.devices).toMatchObject([{ method: 'push', label: 'My phone', hint: 'chat ***01' }]);
  });

  it('H1: a token links once: the same /start delivered again, or sent from a second chat, links nothing', async () => {
    h = await pushHarness();
    const user = newUser();
    const { link } = await h.push.linkTelegram(await signedIn(h, user), {});
    const update = h.bot.userSends(42_000_001, `/start ${startToken(link)}`);
    expect((await deliver(h, update)).outcome).toBe('linked');
    expect(await deliver(h, update)).toEqual({ outcome: 'refused', reason: 'link_not_found' });
    const other = h.bot.userSends(42_000_002, `/start ${startToken(link)}`);
    expect(await deliver(h, other)).toEqual({ outcome: 'refused', reason: 'link_not_found' });
    expect(await h.store.listCredentials(user.id)).toHaveLength(1);
  });

  it('D7: 20 concurrent deliveries of one /start link the chat exactly once', async () => {
    h = await pushHarness();
    const user = newUser();
    const { link } = await h.push.linkTelegram(await signedIn(h, user), {});
    const update = h.bot.userSends(42_000_001, `/start ${startToken(link)}`);
    const results = await Promise.all(Array.from({ length: 20 }, () => deliver(h, update)));
    expect(results.filter((r) => r.outcome === 'linked')).toHaveLength(1);
    expect(await h.store.listCredentials(user.id)).toHaveLength(1);
  });

  it('several chats per user; a chat already linked is not added twice; maxDevices.push is kept', async () => {
    h = await pushHarness({
      policy: {
        ...multiMethod,
        methods: { ...multiMethod.methods, maxDevices: { push: 2, totp: 5, voice: 5 } },
      },
    });
    const user = newUser();
    expect((await linkChat(h, user, 42_000_001)).outcome).toBe('linked');
    expect(await linkChat(h, user, 42_000_001)).toEqual({ outcome: 'refused', reason: 'already_linked' });
    expect((await linkChat(h, user, 42_000_002)).outcome).toBe('linked');
    // Two of two: the policy refuses a third link already when it is asked for.
    const third = await rejection(h.push.linkTelegram(await signedIn(h, user), {}));
    expect(third.code).toBe('policy_denied');
    const chats = (await h.store.listCredentials(user.id)).map((c) => c.address).sort();
    expect(chats).toEqual(['42000001', '42000002']);
  });

  it('H2: a token expires with the enrollment lifetime (clock injected)', async () => {
    h = await pushHarness();
    const user = newUser();
    const { link, expiresAt } = await h.push.linkTelegram(await signedIn(h, user), {});
    h.clock.advance(expiresAt - h.clock());
    const update = h.bot.userSends(42_000_001, `/start ${startToken(link)}`);
    expect(await deliver(h, update)).toEqual({ outcome: 'refused', reason: 'link_not_found' });
    expect(await h.store.listCredentials(user.id)).toEqual([]);
  });

  it('H3: a token whose user part names another user links nothing; a malformed one is ignored', async () => {
    h = await pushHarness();
    const [user, victim] = [newUser(), newUser()];
    const { link } = await h.push.linkTelegram(await signedIn(h, user), {});
    const token = startToken(link);
    const forged = `${token.slice(0, 17)}${Buffer.from(victim.id).toString('base64url')}`;
    expect(await deliver(h, h.bot.userSends(42_000_001, `/start ${forged}`))).toEqual({
      outcome: 'refused',
      reason: 'link_not_found',
    });
    const garbled = `${token.slice(0, 16)}x${token.slice(17)}`;
    expect((await deliver(h, h.bot.userSends(42_000_001, `/start ${garbled}`))).outcome).toBe('ignored');
    expect(await h.store.listCredentials(victim.id)).toEqual([]);
    expect(await h.store.listCredentials(user.id)).toEqual([]);
  });

  it('a forged or missing secret header is refused with unauthenticated before anything is read', async () => {
    h = await pushHarness();
    const user = newUser();
    const { link } = await h.push.linkTelegram(await signedIn(h, user), {});
    const body = JSON.stringify(h.bot.userSends(42_000_001, `/start ${startToken(link)}`));
    for (const headers of [{}, { 'x-telegram-bot-api-secret-token': 'wh_forged_secret_000000' }]) {
      const error = await h.push.handleTelegramUpdate(headers, body).catch((e: unknown) => e);
      expect(isSecondFactorError(error) && error.code).toBe('unauthenticated');
    }
    expect(await h.store.listCredentials(user.id)).toEqual([]);
    // The genuine delivery still links.
    expect((await h.push.handleTelegramUpdate(SIGNED, body)).outcome).toBe('linked');
  });

  it('a user id the start parameter cannot carry is refused with invalid_argument; a lowercase UUID fits', async () => {
    h = await pushHarness();
    const long = { id: 'u'.repeat(34), roles: [] };
    const error = await rejection(h.push.linkTelegram(await signedIn(h, long), {}));
    expect([error.code, error.message]).toEqual(['invalid_argument', expect.stringContaining('actor.id')]);
    const uuid = { id: '3f2a8c1e-9b7d-4e6f-a5c3-1d2e3f4a5b6c', roles: [] };
    expect((await linkChat(h, uuid, 42_000_003)).outcome).toBe('linked');
    expect(await h.store.listCredentials(uuid.id)).toMatchObject([{ kind: 'push', address: '42000003' }]);
  });
});

describe('without channels.telegram', () => {
  it('push is neither offered at login nor linkable: telegramPush refuses the service', async () => {
    const plain = await harness({ policy: multiMethod });
    const error = thrown(() => telegramPush(plain.twoFactor));
    expect([error.code, error.message]).toEqual(['invalid_argument', expect.stringContaining('telegram')]);
    // A user whose only device is a linked chat cannot be asked for a push approval by this service.
    const user = newUser();
    await plain.store.addCredential({
      id: `chat-of-${user.id}`,
      userId: user.id,
      kind: 'push',
      label: 'Telegram',
      address: '42000001',
      createdAt: plain.clock(),
    });
    await plain.store.updateUserSettings(user.id, { useTwoFactor: true }, { now: plain.clock() });
    const login = await plain.twoFactor.startLogin(user);
    expect(login).toMatchObject({ state: 'denied', reason: 'no_usable_method', methods: [] });
    h = await pushHarness();
  });
});
