/**
 * @module
 * Development pages: `/dev/outbox` lists every e-mail, SMS and call the development providers "sent",
 * newest first, so a person can follow a delivered code; `/dev/telegram` stands in for the Telegram app
 * when no real bot is configured: it opens a deep link (`/start`) and presses Approve or Deny, by posting
 * the updates Telegram would post to the service's webhook handler. Never part of a production app:
 * they show codes and act for whoever opens them.
 */
import { TELEGRAM_SECRET_HEADER } from '@secondfactor/channels';
import { telegramPush } from '@secondfactor/service';
import express, { type Express, type Request } from 'express';
import type { DemoContext } from '../context';
import { html } from '../html';
import { sendPage } from '../layout';
import { shownTime } from './account';
import { crossSite } from './login';

const OUTCOMES: Record<string, string> = {
  linked: 'The chat is linked.',
  approved: 'Approved: the sign-in goes on.',
  denied: 'Denied: the sign-in is refused.',
  refused: 'Telegram’s update was refused',
  ignored: 'Telegram’s update changed nothing',
};

/** The start parameter of a deep link (`https://t.me/<bot>?start=<token>`), or the token itself. */
function startTokenOf(link: string): string {
  try {
    return new URL(link).searchParams.get('start') ?? '';
  } catch {
    return link.trim();
  }
}

/** A chat id for the signed-in user, so two users of the demo get two chats. */
function chatIdOf(ctx: DemoContext, req: Request): number {
  const id = ctx.routes.stateOf(req)?.user.id ?? 'demo';
  return 100_000 + [...id].reduce((sum, c, i) => sum + c.charCodeAt(0) * (i + 1), 0);
}

export function devPages(app: Express, ctx: DemoContext): void {
  app.get('/dev/outbox', (req, res) => {
    const entries = ctx.outbox.entries.slice().reverse();
    sendPage(ctx, res, {
      title: 'Outbox (development)',
      state: ctx.routes.stateOf(req),
      body: html`
        <p>What the development providers “sent” by e-mail, SMS and phone calls, newest first. A real app
          sends these through an SMTP server and an SMS or voice provider instead.
          <a href="/dev/outbox" data-test="refresh-outbox">Refresh</a></p>
        ${
          entries.length === 0
            ? html`<p data-test="outbox-empty">Nothing was sent yet.</p>`
            : html`<table class="outbox" data-test="outbox">
              <thead><tr><th>Sent</th><th>Channel</th><th>To</th><th>Message</th></tr></thead>
              <tbody>${entries.map(
                (
                  entry,
                ) => html`<tr data-test="outbox-entry" data-channel="${entry.channel}" data-to="${entry.to}">
                  <td>${shownTime(entry.at)}</td><td>${entry.channel}</td><td>${entry.to}</td><td>${entry.text}</td>
                </tr>`,
              )}</tbody>
            </table>`
        }`,
    });
  });

  const form = express.urlencoded({ extended: false, limit: '4kb' });
  const telegram = ctx.telegram;
  if (telegram?.fake === undefined) return;
  const fake = telegram.fake;
  const post = async (update: Record<string, unknown>) => {
    const handled = await telegramPush(ctx.twoFactor).handleTelegramUpdate(
      { [TELEGRAM_SECRET_HEADER]: telegram.webhookSecret },
      JSON.stringify(update),
    );
    return `${OUTCOMES[handled.outcome] ?? handled.outcome}${handled.reason === undefined ? '' : `: ${handled.reason}`}`;
  };

  app.get('/dev/telegram', (req, res) => {
    const link = typeof req.query.link === 'string' ? req.query.link : '';
    const done = typeof req.query.done === 'string' ? req.query.done : null;
    sendPage(ctx, res, {
      title: 'Telegram (development)',
      state: ctx.routes.stateOf(req),
      body: html`
        <p>No real bot is configured (<code>TELEGRAM_BOT_TOKEN</code>), so this page plays the Telegram app.</p>
        ${done === null ? null : html`<p class="message" data-test="telegram-outcome">${done}</p>`}
        <form method="post" action="/dev/telegram/start" class="card" data-test="telegram-start-form">
          <label for="link">The link the page showed (“Link Telegram”)</label>
          <input id="link" name="link" value="${link}" required data-test="telegram-start-link">
          <label for="chat">Chat id</label>
          <input id="chat" name="chat" value="${chatIdOf(ctx, req)}" inputmode="numeric" data-test="telegram-chat">
          <button type="submit" data-test="telegram-start">Open in Telegram and press Start</button>
        </form>
        <h2>What the bot sent</h2>
        ${
          fake.messages().length === 0
            ? html`<p data-test="telegram-empty">Nothing yet.</p>`
            : fake.messages().map(
                (
                  message,
                ) => html`<div class="card" data-test="telegram-message" data-message-id="${message.messageId}">
                  <p class="hint">chat ${message.chatId} · ${shownTime(message.at)}</p>
                  <p class="bot-text">${message.text}</p>
                  ${message.buttons.map(
                    (button) => html`<form method="post" action="/dev/telegram/press" class="inline">
                      <input type="hidden" name="messageId" value="${message.messageId}">
                      <input type="hidden" name="button" value="${button.text}">
                      <button type="submit" class="secondary" data-test="telegram-button">${button.text}</button>
                    </form>`,
                  )}
                </div>`,
              )
        }`,
    });
  });

  app.post('/dev/telegram/start', form, async (req, res, next) => {
    try {
      if (crossSite(req)) return res.status(403).end();
      const body = req.body as Record<string, string | undefined>;
      const chatId = Number(body.chat);
      const outcome =
        Number.isSafeInteger(chatId) && chatId > 0
          ? await post(fake.start(chatId, startTokenOf(body.link ?? '')))
          : 'The chat id must be a positive number.';
      res.redirect(303, `/dev/telegram?done=${encodeURIComponent(outcome)}`);
    } catch (error) {
      next(error);
    }
  });

  app.post('/dev/telegram/press', form, async (req, res, next) => {
    try {
      if (crossSite(req)) return res.status(403).end();
      const body = req.body as Record<string, string | undefined>;
      const update = fake.press(Number(body.messageId), body.button ?? '');
      const outcome = update === null ? 'That button is gone.' : await post(update);
      res.redirect(303, `/dev/telegram?done=${encodeURIComponent(outcome)}`);
    } catch (error) {
      next(error);
    }
  });
}
