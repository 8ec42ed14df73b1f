/**
 * @module
 * The Telegram bot's webhook: public by design and exempt from CSRF (Telegram's servers call it), and
 * authenticated by the secret-token header the service checks in constant time; 401 without it. Every
 * update it reads is answered 200, a refused one included (Telegram would only send it again).
 */
import { SecondFactorError } from '@secondfactor/core';
import { json } from '../response';
import { jsonRoute, type Route } from '../route';

export const telegramRoutes: Route[] = [
  jsonRoute({
    name: 'telegram.webhook',
    method: 'POST',
    path: '/telegram/webhook',
    guard: 'public',
    csrf: false,
    noStore: true,
    body: 'json',
    handle: async (ctx) => {
      const push = ctx.http.push;
      if (push === undefined) throw new SecondFactorError('not_found', 'Not found.');
      await push.handleTelegramUpdate(ctx.request.headers, ctx.body);
      return json(200, { ok: true });
    },
  }),
];
