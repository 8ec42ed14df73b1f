/**
 * Telegram push approval, the webhook's side: an update is read only when it carries the webhook's secret
 * token (compared in constant time), then becomes a link request (`/start <token>` in a private chat), a
 * decision (a press of Approve or Deny) or something ignored, with its `updateId` for the host's replay
 * check. The updates are the ones Telegram would post, built by the local Bot API server.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type BotApiServer, startBotApiServer } from '@secondfactor/channels/testing';
import { isSecondFactorError, type SecondFactorError, timingSafeEqual } from '@secondfactor/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTelegramProvider, type TelegramProvider, type TelegramUpdate } from '../src/telegram/index';

vi.mock('@secondfactor/core', async (importOriginal) => {
  const core = await importOriginal<typeof import('@secondfactor/core')>();
  return { ...core, timingSafeEqual: vi.fn(core.timingSafeEqual) };
});

const TOKEN = '7301946528:AAHq3xVbN8tZ_kPw2LmRc5YsJd-0fGh1EuQ';
const WEBHOOK_SECRET = 'wh_7dK2pQ9xLm4vR8sT1nB6';
const HEADERS = { 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET };
const START_TOKEN = 'q8Zr2LmXw0Yc4TbN';
const CHAT = 42_000_001;
const APPROVAL = { approvalId: 'k3Jd9_Qx2mVb7LpA', issuer: 'Acme', ip: '203.0.113.7' };

let now = Date.UTC(2026, 4, 1, 12, 0, 0);
let server: BotApiServer;
let telegram: TelegramProvider;

beforeEach(async () => {
  now = Date.UTC(2026, 4, 1, 12, 0, 0);
  server = await startBotApiServer({ token: TOKEN, clock: () => now });
  telegram = createTelegramProvider({
    token: TOKEN,
    botUsername: 'AcmeLoginBot',
    webhookSecret: WEBHOOK_SECRET,
    apiBaseUrl: server.url,
    clock: () => now,
  });
});
afterEach(() => server.close());

function thrown(run: () => unknown): SecondFactorError {
  try {
    run();
  } catch (error) {
    if (isSecondFactorError(error)) return error;
    throw error;
  }
  throw new Error('expected a SecondFactorError');
}

const parse = (update: unknown): TelegramUpdate => telegram.parseUpdate(HEADERS, JSON.stringify(update));

/** A linked chat with one approval message in it. */
async function approvalMessage(): Promise<number> {
  server.userSends(CHAT, `/start ${START_TOKEN}`);
  return (await telegram.sendApproval(CHAT, { ...APPROVAL, at: now })).messageId;
}

describe('linking: /start <token>', () => {
  it('the deep link’s /start <token> in a private chat is a start with the chat and the token', () => {
    const startParameter = new URL(telegram.startLink(START_TOKEN)).searchParams.get('start');
    const update = server.userSends(CHAT, `/start ${startParameter}`);
    expect(parse(update)).toEqual({
      kind: 'start',
      updateId: update.update_id,
      chatId: CHAT,
      startToken: START_TOKEN,
    });
  });

  it('/start@<this bot> <token> counts (any letter case); /start@<another bot> does not', () => {
    expect(parse(server.userSends(CHAT, `/start@acmeloginbot ${START_TOKEN}`))).toMatchObject({
      kind: 'start',
    });
    expect(parse(server.userSends(CHAT, `/start@OtherBot ${START_TOKEN}`))).toMatchObject({
      kind: 'ignored',
      reason: 'not_a_start_command',
    });
  });

  it.each(['group', 'supergroup', 'channel'])('a /start <token> in a %s chat is ignored', (chatType) => {
    const update = server.userSends(-100_200_300, `/start ${START_TOKEN}`, { chatType, fromId: CHAT });
    expect(parse(update)).toEqual({
      kind: 'ignored',
      updateId: update.update_id,
      reason: 'not_private_chat',
    });
  });

  it.each([
    ['/start', 'not_a_start_command'],
    ['hello', 'not_a_start_command'],
    [`/help ${START_TOKEN}`, 'not_a_start_command'],
    ['/start short', 'invalid_start_token'],
    [`/start ${START_TOKEN}!`, 'invalid_start_token'],
  ])('%j is ignored as %s', (text, reason) => {
    expect(parse(server.userSends(CHAT, text))).toMatchObject({ kind: 'ignored', reason });
  });
});

describe('decisions: a press of Approve or Deny', () => {
  it('Approve is an approve decision for the approval id, with the chat, message and callback query', async () => {
    const messageId = await approvalMessage();
    const update = server.press(messageId, 'Approve');
    const callbackQuery = update.callback_query as { id: string };
    expect(parse(update)).toEqual({
      kind: 'decision',
      updateId: update.update_id,
      chatId: CHAT,
      messageId,
      callbackQueryId: callbackQuery.id,
      approvalId: APPROVAL.approvalId,
      decision: 'approve',
    });
  });

  it('Deny is a deny decision for the same approval id', async () => {
    const messageId = await approvalMessage();
    expect(parse(server.press(messageId, 'Deny'))).toMatchObject({
      kind: 'decision',
      approvalId: APPROVAL.approvalId,
      decision: 'deny',
    });
  });

  it('every update carries its growing update_id, the host’s key for refusing a replayed update', async () => {
    const messageId = await approvalMessage();
    const first = server.press(messageId, 'Approve');
    const second = server.press(messageId, 'Deny');
    expect(parse(second).updateId).toBeGreaterThan(parse(first).updateId);
    // The provider keeps no state: a replay parses the same, with the same updateId the host has seen.
    expect(parse(first)).toEqual(parse(first));
  });

  it('a press by someone other than the chat’s user is ignored (still answerable)', async () => {
    const messageId = await approvalMessage();
    const update = server.press(messageId, 'Approve', { fromId: CHAT + 7 });
    expect(parse(update)).toMatchObject({
      kind: 'ignored',
      reason: 'sender_mismatch',
      callbackQueryId: (update.callback_query as { id: string }).id,
    });
  });

  it('callback data that is not a:<id> or d:<id> is ignored', async () => {
    const update = server.press(await approvalMessage(), 'Approve');
    for (const data of ['x:k3Jd9_Qx2mVb7LpA', 'a:', 'a:k3Jd9 Qx2m', 'approve', undefined]) {
      const forged = { ...update, callback_query: { ...(update.callback_query as object), data } };
      expect(parse(forged)).toMatchObject({ kind: 'ignored', reason: 'unknown_button' });
    }
  });

  it('I3 a press on an approval message older than maxAgeSeconds (600) is ignored as stale', async () => {
    const messageId = await approvalMessage();
    now += 600_000;
    expect(parse(server.press(messageId, 'Approve'))).toMatchObject({ kind: 'decision' });
    now += 1_000;
    expect(parse(server.press(messageId, 'Approve'))).toMatchObject({ kind: 'ignored', reason: 'stale' });
  });

  it('a press on a message Telegram no longer delivers (InaccessibleMessage, date 0) is stale', async () => {
    const update = server.press(await approvalMessage(), 'Approve');
    const query = update.callback_query as { message: Record<string, unknown> };
    const inaccessible = { ...query, message: { chat: query.message.chat, message_id: 1, date: 0 } };
    expect(parse({ ...update, callback_query: inaccessible })).toMatchObject({
      kind: 'ignored',
      reason: 'stale',
    });
  });

  it('other updates (an edited message, a button under an inline message) are ignored', async () => {
    const update = server.press(await approvalMessage(), 'Approve');
    const { message: _, ...inline } = update.callback_query as Record<string, unknown>;
    expect(parse({ update_id: 1, callback_query: { ...inline, inline_message_id: 'AAA' } })).toMatchObject({
      kind: 'ignored',
      reason: 'unsupported_update',
    });
    const edited = server.userSends(CHAT, 'hi');
    expect(parse({ update_id: 2, edited_message: edited.message })).toEqual({
      kind: 'ignored',
      updateId: 2,
      reason: 'unsupported_update',
    });
  });
});

describe('the secret token header', () => {
  const body = (): string => JSON.stringify(server.userSends(CHAT, `/start ${START_TOKEN}`));
  const refused = (headers: Parameters<TelegramProvider['parseUpdate']>[0], payload = body()): void => {
    const error = thrown(() => telegram.parseUpdate(headers, payload));
    expect(error.code).toBe('unauthenticated');
    expect(error.message).not.toContain(WEBHOOK_SECRET);
  };
  const forged = WEBHOOK_SECRET.slice(0, -1) + (WEBHOOK_SECRET.endsWith('6') ? '7' : '6');

  it('a forged header of the right length is refused', () => {
    expect(forged).toHaveLength(WEBHOOK_SECRET.length);
    refused({ 'x-telegram-bot-api-secret-token': forged });
  });

  it('a missing header is refused', () => {
    refused({});
    refused({ 'x-telegram-bot-api-secret-token': undefined });
  });

  it('a header of the wrong length (a prefix, the secret plus more, empty) is refused', () => {
    refused({ 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET.slice(0, -1) });
    refused({ 'x-telegram-bot-api-secret-token': `${WEBHOOK_SECRET}x` });
    refused({ 'x-telegram-bot-api-secret-token': '' });
  });

  it('a header sent twice is refused, as a Node header array and as a Headers object', () => {
    refused({ 'x-telegram-bot-api-secret-token': [WEBHOOK_SECRET, WEBHOOK_SECRET] });
    const headers = new Headers();
    headers.append('X-Telegram-Bot-Api-Secret-Token', WEBHOOK_SECRET);
    headers.append('X-Telegram-Bot-Api-Secret-Token', WEBHOOK_SECRET);
    refused(headers);
  });

  it('one header spelled twice in a record (letter case only) is refused like a header sent twice', () => {
    refused({
      'X-Telegram-Bot-Api-Secret-Token': forged,
      'x-telegram-bot-api-secret-token': WEBHOOK_SECRET,
    });
    refused({
      'x-telegram-bot-api-secret-token': WEBHOOK_SECRET,
      'X-TELEGRAM-BOT-API-SECRET-TOKEN': WEBHOOK_SECRET,
    });
  });

  it('is checked before the body is read: a forged header with a malformed body is unauthenticated', () => {
    refused({ 'x-telegram-bot-api-secret-token': forged }, 'not json');
  });

  it('C9-style: the header is compared with the constant-time comparison, also when it is missing', () => {
    vi.mocked(timingSafeEqual).mockClear();
    refused({ 'x-telegram-bot-api-secret-token': forged });
    refused({});
    expect(vi.mocked(timingSafeEqual).mock.calls).toEqual([
      [forged, WEBHOOK_SECRET],
      ['', WEBHOOK_SECRET],
    ]);
  });

  it('the right header is found in a Headers object and in a record of any letter case', () => {
    const headers = new Headers({ 'X-Telegram-Bot-Api-Secret-Token': WEBHOOK_SECRET });
    expect(telegram.parseUpdate(headers, body())).toMatchObject({ kind: 'start' });
    const record = { 'X-Telegram-Bot-Api-Secret-Token': WEBHOOK_SECRET };
    expect(telegram.parseUpdate(record, body())).toMatchObject({ kind: 'start' });
  });
});

describe('malformed bodies are invalid_argument', () => {
  it.each([
    ['not JSON', 'update_id: 1'],
    ['a JSON array', '[]'],
    ['no update_id', '{}'],
    ['a string update_id', '{"update_id":"1"}'],
    ['a negative update_id', '{"update_id":-1}'],
    ['a message without a chat', '{"update_id":1,"message":{"message_id":1,"date":1,"text":"/start"}}'],
    [
      'a message with a non-numeric chat id',
      '{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":"x","type":"private"}}}',
    ],
    [
      'a message whose text is not a string',
      '{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":1,"type":"private"},"text":5}}',
    ],
    ['a callback query without an id', '{"update_id":1,"callback_query":{"from":{"id":1},"data":"a:x"}}'],
    ['a callback query without from', '{"update_id":1,"callback_query":{"id":"1","data":"a:x"}}'],
    [
      'a private chat whose id is not positive (a user id always is)',
      '{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":0,"type":"private"},"text":"/start q8Zr2LmXw0Yc4TbN"}}',
    ],
    [
      'a message and a callback query in one update (Telegram sends one part)',
      '{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":1,"type":"private"}},"callback_query":{"id":"1","from":{"id":1}}}',
    ],
  ])('%s', (_, payload) => {
    const error = thrown(() => telegram.parseUpdate(HEADERS, payload));
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toMatch(/^body/);
  });

  it('bytes that are not UTF-8; the same update as UTF-8 bytes or parsed JSON is read', () => {
    const error = thrown(() => telegram.parseUpdate(HEADERS, new Uint8Array([0x7b, 0xff, 0x7d])));
    expect(error.code).toBe('invalid_argument');
    const update = server.userSends(CHAT, `/start ${START_TOKEN}`);
    const bytes = new TextEncoder().encode(JSON.stringify(update));
    expect(telegram.parseUpdate(HEADERS, bytes)).toMatchObject({ kind: 'start' });
    expect(telegram.parseUpdate(HEADERS, update)).toMatchObject({ kind: 'start' });
  });
});

describe('a webhook in plain Node, as in the README', () => {
  it('answers 200 with what it read, 401 for a forged header, 400 for a malformed body', async () => {
    const seen: TelegramUpdate[] = [];
    const webhook = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      try {
        seen.push(telegram.parseUpdate(request.headers, Buffer.concat(chunks)));
        response.writeHead(200).end();
      } catch (error) {
        const status = isSecondFactorError(error) && error.code === 'unauthenticated' ? 401 : 400;
        response.writeHead(status).end();
      }
    });
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/telegram`;
    const post = (secret: string, payload: string): Promise<number> =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': secret },
        body: payload,
      }).then((response) => response.status);
    try {
      const update = JSON.stringify(server.userSends(CHAT, `/start ${START_TOKEN}`));
      expect(await post(WEBHOOK_SECRET, update)).toBe(200);
      expect(await post(`${WEBHOOK_SECRET.slice(0, -1)}x`, update)).toBe(401);
      expect(await post(WEBHOOK_SECRET, '{')).toBe(400);
      expect(seen).toEqual([
        { kind: 'start', updateId: expect.any(Number), chatId: CHAT, startToken: START_TOKEN },
      ]);
    } finally {
      webhook.closeAllConnections();
      await new Promise<void>((resolve) => webhook.close(() => resolve()));
    }
  });
});
