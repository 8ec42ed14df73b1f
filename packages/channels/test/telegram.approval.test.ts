/**
 * Telegram push approval, the bot's side: the deep link that links a chat, the approval message (time, IP,
 * device, Approve / Deny) as the local Bot API server receives and shows it, answering and closing it, and
 * Bot API failures as `delivery_failed` errors that never carry the bot token.
 */
import { inspect } from 'node:util';
import { type BotApiServer, startBotApiServer } from '@secondfactor/channels/testing';
import { isSecondFactorError, type SecondFactorError } from '@secondfactor/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FetchLike } from '../src/sms/http';
import { createTelegramProvider, type TelegramProvider } from '../src/telegram/index';

const TOKEN = '7301946528:AAHq3xVbN8tZ_kPw2LmRc5YsJd-0fGh1EuQ';
const WEBHOOK_SECRET = 'wh_7dK2pQ9xLm4vR8sT1nB6';
const AT = Date.UTC(2026, 4, 1, 12, 34, 56);
const CHAT = 42_000_001;

async function rejection(promise: Promise<unknown>): Promise<SecondFactorError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isSecondFactorError(error)) throw new Error(`expected a SecondFactorError, got ${String(error)}`);
  return error;
}

function thrown(run: () => unknown): SecondFactorError {
  try {
    run();
  } catch (error) {
    if (isSecondFactorError(error)) return error;
    throw error;
  }
  throw new Error('expected a SecondFactorError');
}

/** Every way a host might print or ship the error: none may contain the token or its secret half. */
function expectNoToken(error: SecondFactorError, token = TOKEN): void {
  const renderings = [
    JSON.stringify(error),
    JSON.stringify({ message: error.message, stack: error.stack, detail: error.detail }),
    inspect(error, { depth: 10, showHidden: true }),
    String(error.cause),
  ].join('\n');
  expect(renderings).not.toContain(token);
  expect(renderings).not.toContain(token.slice(token.indexOf(':') + 1));
}

describe('linking: the deep link', () => {
  const telegram = createTelegramProvider({
    token: TOKEN,
    botUsername: 'AcmeLoginBot',
    webhookSecret: WEBHOOK_SECRET,
  });

  it('startLink(token) is https://t.me/<botUsername>?start=<token>', () => {
    expect(telegram.startLink('q8Zr2LmXw0Yc4TbN')).toBe('https://t.me/AcmeLoginBot?start=q8Zr2LmXw0Yc4TbN');
    const longest = 'A_-z9'.repeat(12) + 'abcd';
    expect(new URL(telegram.startLink(longest)).searchParams.get('start')).toBe(longest);
  });

  it.each([
    ['15 characters', 'q8Zr2LmXw0Yc4Tb'],
    ['65 characters', 'a'.repeat(65)],
    ['a character Telegram drops from start parameters', 'q8Zr2LmXw0Yc4TbN+'],
    ['a query separator', 'q8Zr2LmXw0Yc4TbN&x=1'],
  ])('startLink refuses a token of %s (invalid_argument naming token)', (_, token) => {
    const error = thrown(() => telegram.startLink(token));
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toMatch(/^token /);
  });
});

describe('options', () => {
  const base = { token: TOKEN, botUsername: 'AcmeLoginBot', webhookSecret: WEBHOOK_SECRET };

  it.each([
    ['options.token', { token: 'AAHq3xVbN8tZ_kPw2LmRc5YsJd' }],
    ['options.token', { token: `${TOKEN}/../../evil` }],
    ['options.botUsername', { botUsername: '@AcmeLoginBot' }],
    ['options.webhookSecret', { webhookSecret: 'fifteen-chars-x' }],
    ['options.webhookSecret', { webhookSecret: `${WEBHOOK_SECRET}!` }],
    ['options.apiBaseUrl', { apiBaseUrl: 'ftp://api.telegram.org' }],
    ['options.apiBaseUrl', { apiBaseUrl: 'https://api.telegram.org/?token=1' }],
    ['options.maxAgeSeconds', { maxAgeSeconds: 0 }],
  ])('refuses a bad %s with invalid_argument, quoting no value', (name, override) => {
    const error = thrown(() => createTelegramProvider({ ...base, ...override }));
    expect(error.code).toBe('invalid_argument');
    expect(error.message.startsWith(`${name} `)).toBe(true);
    expectNoToken(error);
  });
});

describe('the approval message, as the Bot API receives it', () => {
  let server: BotApiServer;
  let telegram: TelegramProvider;

  beforeEach(async () => {
    server = await startBotApiServer({ token: TOKEN, clock: () => AT });
    telegram = createTelegramProvider({
      token: TOKEN,
      botUsername: 'AcmeLoginBot',
      webhookSecret: WEBHOOK_SECRET,
      apiBaseUrl: server.url,
      clock: () => AT,
    });
    server.userSends(CHAT, '/start q8Zr2LmXw0Yc4TbN');
  });
  afterEach(() => server.close());

  it('sendApproval sends time, IP and device in HTML mode with the buttons Approve (a:<id>) and Deny (d:<id>)', async () => {
    const { messageId } = await telegram.sendApproval(CHAT, {
      approvalId: 'k3Jd9_Qx2mVb7LpA',
      issuer: 'Acme',
      at: AT,
      ip: '203.0.113.7',
      device: 'Firefox 128 on Linux',
    });

    expect(server.calls.map((call) => [call.method, call.status])).toEqual([['sendMessage', 200]]);
    expect(server.calls[0]!.params).toMatchObject({ chat_id: CHAT, parse_mode: 'HTML' });
    const [message] = server.messages;
    expect(message!.messageId).toBe(messageId);
    expect(message!.shownText.split('\n')).toEqual([
      'Sign-in to Acme',
      'Someone is signing in to your account. Approve only if this is you, right now.',
      '',
      'Time: 2026-05-01 12:34:56 UTC',
      'IP: 203.0.113.7',
      'Device: Firefox 128 on Linux',
    ]);
    expect(message!.keyboard).toEqual([
      [
        { text: 'Approve', callback_data: 'a:k3Jd9_Qx2mVb7LpA' },
        { text: 'Deny', callback_data: 'd:k3Jd9_Qx2mVb7LpA' },
      ],
    ]);
  });

  it('leaves out the IP and device lines when they are not known', async () => {
    await telegram.sendApproval(CHAT, { approvalId: 'k3Jd9_Qx2mVb7LpA', issuer: 'Acme', at: AT });
    expect(server.messages[0]!.shownText).not.toMatch(/IP:|Device:/);
    expect(server.messages[0]!.shownText).toContain('Time: 2026-05-01 12:34:56 UTC');
  });

  it('a hostile device string is shown literally: escaped markup, no extra line, no bidi reordering', async () => {
    const device =
      '</b><a href="https://evil.example/">Approve here</a> & <i>\nIP: 10.0.0.1 (your home)\u202Eoxo';
    await telegram.sendApproval(CHAT, {
      approvalId: 'k3Jd9_Qx2mVb7LpA',
      issuer: 'Acme <b>Bank</b> & Co',
      at: AT,
      ip: '198.51.100.23',
      device,
    });

    // The server parses HTML like Telegram: unescaped markup would have been refused or rendered.
    expect(server.calls[0]!.status).toBe(200);
    const sent = server.messages[0]!;
    expect(sent.text).not.toContain('<a ');
    expect(sent.text).toContain('&lt;/b&gt;&lt;a href=&quot;https://evil.example/&quot;&gt;');
    const lines = sent.shownText.split('\n');
    expect(lines[0]).toBe('Sign-in to Acme <b>Bank</b> & Co');
    expect(lines.filter((line) => line.startsWith('IP:'))).toEqual(['IP: 198.51.100.23']);
    expect(lines.at(-1)).toBe(
      'Device: </b><a href="https://evil.example/">Approve here</a> & <i> IP: 10.0.0.1 (your home) oxo',
    );
  });

  it('cuts a long user agent so the message stays within the Bot API limit', async () => {
    await telegram.sendApproval(CHAT, {
      approvalId: 'k3Jd9_Qx2mVb7LpA',
      issuer: 'Acme',
      at: AT,
      device: '<&>'.repeat(3000),
    });
    const deviceLine = server.messages[0]!.shownText.split('\n').at(-1)!;
    expect(deviceLine).toBe(`Device: ${'<&>'.repeat(66)}<&…`);

    // Cut by code points: half an emoji would be invalid UTF-8.
    await telegram.sendApproval(CHAT, {
      approvalId: 'k3Jd9_Qx2mVb7LpA',
      issuer: 'Acme',
      at: AT,
      device: '🦊'.repeat(300),
    });
    expect(server.messages[1]!.shownText.split('\n').at(-1)).toBe(`Device: ${'🦊'.repeat(200)}…`);
  });

  it('an approval id is 1-62 characters, so a:/d: plus the id fits the 64-byte callback_data', async () => {
    await telegram.sendApproval(CHAT, { approvalId: 'x'.repeat(62), issuer: 'Acme', at: AT });
    expect(server.calls[0]!.status).toBe(200);

    for (const approvalId of ['x'.repeat(63), '', 'k3Jd9:Qx2m', 'k3Jd9 Qx2m']) {
      const error = await rejection(telegram.sendApproval(CHAT, { approvalId, issuer: 'Acme', at: AT }));
      expect(error.code).toBe('invalid_argument');
      expect(error.message).toMatch(/^approval\.approvalId /);
    }
    expect(server.calls).toHaveLength(1);
  });

  it.each([
    ['chatId', 'not-a-chat', {}],
    ['approval.issuer', CHAT, { issuer: ' \n ' }],
    ['approval.at', CHAT, { at: Number.NaN }],
    ['approval.ip', CHAT, { ip: 203 }],
  ])('refuses a bad %s before calling the Bot API', async (name, chatId, override) => {
    const approval = { approvalId: 'k3Jd9_Qx2mVb7LpA', issuer: 'Acme', at: AT, ...override };
    const error = await rejection(telegram.sendApproval(chatId as number, approval as never));
    expect(error.code).toBe('invalid_argument');
    expect(error.message.startsWith(`${name} `)).toBe(true);
    expect(server.calls).toHaveLength(0);
  });

  it('answerDecision answers the button press; closeApproval replaces the text and removes the buttons', async () => {
    const { messageId } = await telegram.sendApproval(CHAT, {
      approvalId: 'k3Jd9_Qx2mVb7LpA',
      issuer: 'Acme',
      at: AT,
    });
    const update = telegram.parseUpdate(
      { 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
      JSON.stringify(server.press(messageId, 'Approve')),
    );
    if (update.kind !== 'decision') throw new Error(`expected a decision, got ${update.kind}`);

    await telegram.answerDecision(update, 'Sign-in approved');
    await telegram.closeApproval(update.chatId, update.messageId, 'Sign-in approved at 12:35 UTC.');

    expect(server.answers).toEqual([{ callbackQueryId: update.callbackQueryId, text: 'Sign-in approved' }]);
    expect(server.calls.at(-1)!.params).toMatchObject({ reply_markup: { inline_keyboard: [] } });
    expect(server.messages[0]).toMatchObject({ shownText: 'Sign-in approved at 12:35 UTC.', keyboard: [] });
    expect(() => server.press(messageId, 'Deny')).toThrow(/no button/);
  });

  it('answerDecision refuses a notice over 200 characters (the Bot API limit) without calling it', async () => {
    const error = await rejection(telegram.answerDecision({ callbackQueryId: '1' }, 'x'.repeat(201)));
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toMatch(/^text /);
    expect(server.calls).toHaveLength(0);
  });
});

describe('J3 Bot API failures are delivery_failed with the Bot API error_code, never the token', () => {
  let server: BotApiServer;
  const provider = (overrides: { token?: string; fetch?: FetchLike } = {}): TelegramProvider =>
    createTelegramProvider({
      token: overrides.token ?? TOKEN,
      botUsername: 'AcmeLoginBot',
      webhookSecret: WEBHOOK_SECRET,
      apiBaseUrl: server.url,
      fetch: overrides.fetch,
    });
  const approval = { approvalId: 'k3Jd9_Qx2mVb7LpA', issuer: 'Acme', at: AT };

  beforeEach(async () => {
    server = await startBotApiServer({ token: TOKEN, clock: () => AT });
    server.userSends(CHAT, '/start q8Zr2LmXw0Yc4TbN');
  });
  afterEach(() => server.close());

  it('a wrong token: 401 from the Bot API', async () => {
    const wrong = '7301946528:AAHzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz';
    const error = await rejection(provider({ token: wrong }).sendApproval(CHAT, approval));
    expect(error.code).toBe('delivery_failed');
    expect(error.detail).toMatchObject({ method: 'sendMessage', errorCode: 401, status: 401 });
    expect(server.calls[0]!.status).toBe(401);
    expectNoToken(error, wrong);
  });

  it('the user blocked the bot: 403, with the Bot API description for the operator', async () => {
    server.block(CHAT);
    const error = await rejection(provider().sendApproval(CHAT, approval));
    expect(error.detail).toMatchObject({
      errorCode: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
    expectNoToken(error);
  });

  it('a chat that never started the bot: 400 chat not found', async () => {
    const error = await rejection(provider().sendApproval(CHAT + 1, approval));
    expect(error.detail).toMatchObject({ errorCode: 400, description: 'Bad Request: chat not found' });
    expectNoToken(error);
  });

  it('flood control: 429 with retry_after becomes detail.retryAfterSeconds', async () => {
    server.failNext('sendMessage', {
      status: 429,
      description: 'Too Many Requests: retry after 7',
      retryAfter: 7,
    });
    const error = await rejection(provider().sendApproval(CHAT, approval));
    expect(error.detail).toMatchObject({ errorCode: 429, retryAfterSeconds: 7 });
    expectNoToken(error);
  });

  it('answerCallbackQuery and editMessageText failures too', async () => {
    const answer = await rejection(provider().answerDecision({ callbackQueryId: 'never-issued' }, 'ok'));
    expect(answer.detail).toMatchObject({ method: 'answerCallbackQuery', errorCode: 400 });
    const edit = await rejection(provider().closeApproval(CHAT, 999, 'closed'));
    expect(edit.detail).toMatchObject({ method: 'editMessageText', errorCode: 400 });
    expectNoToken(answer);
    expectNoToken(edit);
  });

  it('a network failure whose exception quotes the URL: the exception is not kept', async () => {
    const fetch: FetchLike = async (url) => {
      throw new TypeError(`fetch failed: connect ECONNREFUSED for ${url}`, { cause: new Error(url) });
    };
    const error = await rejection(provider({ fetch }).sendApproval(CHAT, approval));
    expect(error.code).toBe('delivery_failed');
    expect(error.detail).toEqual({ channel: 'telegram', method: 'sendMessage', reason: 'network' });
    expect(error.cause).toBeUndefined();
    expectNoToken(error);
  });

  it('a timeout is reason timeout; a redirect is not followed (it would resend the token) but refused', async () => {
    const slow: FetchLike = async () => {
      throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    };
    const timeout = await rejection(provider({ fetch: slow }).sendApproval(CHAT, approval));
    expect(timeout.detail).toMatchObject({ reason: 'timeout' });

    const redirects: (RequestRedirect | undefined)[] = [];
    const moved: FetchLike = async (_url, init) => {
      redirects.push(init.redirect);
      return new Response(null, { status: 302, headers: { location: 'https://elsewhere.example/' } });
    };
    const redirect = await rejection(provider({ fetch: moved }).sendApproval(CHAT, approval));
    expect(redirects).toEqual(['manual']);
    expect(redirect.detail).toMatchObject({ reason: 'api_error', status: 302 });
  });

  it('a proxy echoing the request line in its description: the token is cut out', async () => {
    const fetch: FetchLike = async (url) =>
      Response.json({ ok: false, error_code: 400, description: `Bad Request: POST ${url}` }, { status: 400 });
    const error = await rejection(provider({ fetch }).sendApproval(CHAT, approval));
    expect(error.detail).toMatchObject({ errorCode: 400 });
    expect(String(error.detail?.description)).toContain('[token]');
    expectNoToken(error);
  });

  it('a non-JSON gateway error and an ok reply without a message id', async () => {
    const html: FetchLike = async () => new Response('<html>502 Bad Gateway</html>', { status: 502 });
    const gateway = await rejection(provider({ fetch: html }).sendApproval(CHAT, approval));
    expect(gateway.detail).toEqual({
      channel: 'telegram',
      method: 'sendMessage',
      reason: 'api_error',
      status: 502,
    });

    const empty: FetchLike = async () => Response.json({ ok: true, result: {} });
    const malformed = await rejection(provider({ fetch: empty }).sendApproval(CHAT, approval));
    expect(malformed.detail).toEqual({
      channel: 'telegram',
      method: 'sendMessage',
      reason: 'malformed_response',
      status: 200,
    });
  });
});
