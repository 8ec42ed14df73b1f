/**
 * Telegram push approval, the login: `sendLoginApproval` sends Approve / Deny with the time, IP and
 * device to every linked chat; the press arrives on the webhook; the browser polls `verifyLogin` with
 * method `push` until the approval completes the login once, a Deny ends it, or it expires. Exactly one
 * decision takes effect: a replayed update, a second press, a press for another login or from a chat not
 * linked to the user, and 50 concurrent presses change nothing more.
 */
import type { SecondFactorError } from '@secondfactor/core';
import { afterEach, describe, expect, it } from 'vitest';
import { newUser, rejection } from './fixtures';
import { approvalIn, deliver, linkChat, type PushHarness, pressIn, pushHarness } from './push-helpers';

const CHAT = 42_000_001;
const SECOND_CHAT = 42_000_002;

let h: PushHarness;
afterEach(() => h.close());

/** A user with linked chats, at the login's push step, the approval sent. */
async function pushLogin(chats: readonly number[] = [CHAT], user = newUser()) {
  for (const chat of chats) expect((await linkChat(h, user, chat)).outcome).toBe('linked');
  h.clock.advance(60_000);
  const login = await h.twoFactor.startLogin(user);
  expect(login).toMatchObject({ state: 'challenge', methods: ['push'] });
  const loginId = login.loginId ?? '';
  const sent = await h.push.sendLoginApproval({ loginId, ip: '203.0.113.7', device: 'Firefox 128 on Linux' });
  return { user, loginId, sent };
}

const poll = (loginId: string) => h.twoFactor.verifyLogin({ loginId, method: 'push', code: '' });

const expectPending = (error: SecondFactorError) =>
  expect([error.code, error.detail]).toEqual(['challenge_not_found', { reason: 'approval_pending' }]);

const expectEnded = (error: SecondFactorError) =>
  expect([error.code, error.detail]).toEqual(['challenge_expired', { reason: 'login_expired' }]);

describe('push login', () => {
  it('the approval reaches every linked chat with time, IP and device; Approve completes the login at the next poll, once', async () => {
    h = await pushHarness();
    const { user, loginId, sent } = await pushLogin([CHAT, SECOND_CHAT]);
    expect(sent).toMatchObject({ sent: 2, expiresAt: h.clock() + 300_000 });
    for (const chat of [CHAT, SECOND_CHAT]) {
      const message = approvalIn(h, chat);
      expect(message.shownText).toContain('Sign-in to Example');
      expect(message.shownText).toContain('IP: 203.0.113.7');
      expect(message.shownText).toContain('Device: Firefox 128 on Linux');
      expect(message.shownText).toMatch(/Time: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
      expect(message.keyboard[0]?.map((button) => button.text)).toEqual(['Approve', 'Deny']);
    }
    expectPending(await rejection(poll(loginId)));
    // J1: the approval id is a capability, the chat id personal data: no event holds either.
    const approvalId = (approvalIn(h, CHAT).keyboard[0]?.[0]?.callback_data ?? '').slice(2);
    expect(approvalId).toMatch(/^[A-Za-z0-9_-]{18,62}$/);
    expect(JSON.stringify(h.events)).not.toContain(approvalId.slice(0, 16));
    expect(JSON.stringify(h.events)).not.toContain(String(CHAT));

    expect(await deliver(h, pressIn(h, SECOND_CHAT, 'Approve'))).toEqual({ outcome: 'approved' });
    // The press is answered and its message closed, so it cannot be pressed again.
    expect(h.bot.answers.at(-1)?.text).toBe('Sign-in approved.');
    expect(h.bot.messages.filter((m) => m.chatId === SECOND_CHAT).at(-1)?.keyboard).toEqual([]);

    const success = await poll(loginId);
    expect(success).toMatchObject({ userId: user.id, method: 'push', fallback: false, at: h.clock() });
    expectEnded(await rejection(poll(loginId)));
    expect(h.events.map((event) => event.type)).toEqual(
      expect.arrayContaining(['push.approval_sent', 'push.approved', 'login.succeeded']),
    );
    // The other chat's message can still be pressed: it finds the approval decided.
    expect(await deliver(h, pressIn(h, CHAT, 'Deny'))).toEqual({
      outcome: 'refused',
      reason: 'already_decided',
    });
  });

  it('Deny ends the login: the poll answers challenge_expired, a later Approve changes nothing', async () => {
    h = await pushHarness();
    const { loginId } = await pushLogin([CHAT, SECOND_CHAT]);
    expect(await deliver(h, pressIn(h, CHAT, 'Deny'))).toEqual({ outcome: 'denied' });
    expect(h.bot.answers.at(-1)?.text).toBe('Sign-in denied.');
    expectEnded(await rejection(poll(loginId)));
    expect(await deliver(h, pressIn(h, SECOND_CHAT, 'Approve'))).toMatchObject({ outcome: 'refused' });
    expectEnded(await rejection(poll(loginId)));
    expectEnded(await rejection(h.push.sendLoginApproval({ loginId })));
    expect(h.events.some((event) => event.type === 'push.denied')).toBe(true);
  });

  it('G2, I3: an approval expires (clock injected); a press after that is refused and the poll ends', async () => {
    h = await pushHarness();
    const { loginId, sent } = await pushLogin();
    h.clock.advance(sent.expiresAt - h.clock() - 1);
    expectPending(await rejection(poll(loginId)));
    h.clock.advance(1);
    const press = pressIn(h, CHAT, 'Approve');
    expect(await deliver(h, press)).toMatchObject({ outcome: expect.stringMatching(/refused|ignored/) });
    expectEnded(await rejection(poll(loginId)));
  });

  it('D1: the same update delivered twice changes nothing the second time', async () => {
    h = await pushHarness();
    const { loginId } = await pushLogin();
    const press = pressIn(h, CHAT, 'Approve');
    expect((await deliver(h, press)).outcome).toBe('approved');
    expect(await deliver(h, press)).toEqual({ outcome: 'refused', reason: 'already_decided' });
    await poll(loginId);
    expect(await deliver(h, press)).toEqual({ outcome: 'refused', reason: 'already_decided' });
    expect(h.events.filter((event) => event.type === 'push.approved')).toHaveLength(1);
  });

  it('D3: 50 concurrent Approve updates: one decision, one login', async () => {
    h = await pushHarness();
    const { loginId } = await pushLogin();
    const messageId = approvalIn(h, CHAT).messageId;
    const presses = Array.from({ length: 50 }, () => h.bot.press(messageId, 'Approve'));
    const results = await Promise.all(presses.map((press) => deliver(h, press)));
    expect(results.filter((result) => result.outcome === 'approved')).toHaveLength(1);
    const polls = await Promise.allSettled(Array.from({ length: 50 }, () => poll(loginId)));
    expect(polls.filter((p) => p.status === 'fulfilled')).toHaveLength(1);
  });

  it('D3: 25 Approve and 25 Deny racing: exactly one decision takes effect, and the login follows it', async () => {
    h = await pushHarness();
    const { loginId } = await pushLogin();
    const messageId = approvalIn(h, CHAT).messageId;
    const presses = Array.from({ length: 50 }, (_, i) =>
      h.bot.press(messageId, i % 2 === 0 ? 'Approve' : 'Deny'),
    );
    const results = await Promise.all(presses.map((press) => deliver(h, press)));
    const decided = results.filter((r) => r.outcome === 'approved' || r.outcome === 'denied');
    expect(decided).toHaveLength(1);
    const outcome = await poll(loginId).then(
      () => 'approved',
      (error: SecondFactorError) => (error.code === 'challenge_expired' ? 'denied' : error.code),
    );
    expect(outcome).toBe(decided[0]?.outcome);
  });

  it('H3: a press from a chat not linked to the user, or for another login, decides nothing', async () => {
    h = await pushHarness();
    const first = await pushLogin([CHAT]);
    const other = await pushLogin([SECOND_CHAT]);
    // The second user's chat presses a button carrying the first user's approval (a forwarded or
    // forged callback): the approval id alone is no permission.
    const theirs = approvalIn(h, CHAT);
    const forged = h.bot.press(theirs.messageId, 'Approve', { fromId: SECOND_CHAT });
    expect((await deliver(h, forged)).outcome).not.toBe('approved');
    // The second user's own chat sends a callback carrying the first user's approval id.
    const genuine = pressIn(h, SECOND_CHAT, 'Approve');
    const query = genuine.callback_query as Record<string, unknown>;
    const forgedDecision = {
      update_id: genuine.update_id + 1000,
      callback_query: { ...query, id: 'forged-1', data: theirs.keyboard[0]?.[0]?.callback_data },
    };
    expect(await deliver(h, forgedDecision)).toEqual({ outcome: 'refused', reason: 'not_linked' });
    expectPending(await rejection(poll(first.loginId)));
    // Deciding the second login leaves the first pending.
    expect((await deliver(h, genuine)).outcome).toBe('approved');
    expectPending(await rejection(poll(first.loginId)));
    expect((await poll(other.loginId)).userId).toBe(other.user.id);
  });

  it('G8: asking again sends the same approval again, after the cooldown; the old buttons stay valid', async () => {
    h = await pushHarness();
    const { loginId } = await pushLogin();
    expect((await rejection(h.push.sendLoginApproval({ loginId }))).code).toBe('rate_limited');
    h.clock.advance(30_000);
    expect((await h.push.sendLoginApproval({ loginId })).sent).toBe(1);
    const messages = h.bot.messages.filter((m) => m.chatId === CHAT && m.keyboard.length > 0);
    expect(messages).toHaveLength(2);
    expect((await deliver(h, h.bot.press(messages[0]?.messageId ?? 0, 'Approve'))).outcome).toBe('approved');
    expect((await poll(loginId)).method).toBe('push');
  });

  it('a chat that blocked the bot does not stop the others; none reachable is delivery_failed', async () => {
    h = await pushHarness();
    const user = newUser();
    await linkChat(h, user, CHAT);
    await linkChat(h, user, SECOND_CHAT);
    h.bot.block(CHAT);
    const login = await h.twoFactor.startLogin(user);
    expect((await h.push.sendLoginApproval({ loginId: login.loginId ?? '' })).sent).toBe(1);
    h.bot.block(SECOND_CHAT);
    h.clock.advance(30_000);
    const error = await rejection(h.push.sendLoginApproval({ loginId: login.loginId ?? '' }));
    expect(error.code).toBe('delivery_failed');
  });
});
