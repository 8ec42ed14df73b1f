/**
 * @module
 * A Koa context as the HTTP layer's neutral request, and its answer written back: the same for Koa 2
 * and 3. The body is read here with the layer's limit; one the host's own parser already put in
 * `ctx.request.body` goes through the same checks. The address is the TCP peer's, not `ctx.ip` (E7).
 */
import { type HttpRequest, type HttpResponse, readJsonBody, type SecondFactorHttp } from '@secondfactor/http';
import type { Context } from 'koa';
import type { RouteMatch } from './route-match';
import { accessOf, type SessionBinding } from './session';

const BODYLESS = new Set(['GET', 'HEAD', 'DELETE']);

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

/** Whether the request carried a body on the wire (a parser may have left `{}` without one). */
function sentBody(ctx: Context): boolean {
  return ctx.get('transfer-encoding') !== '' || (ctx.request.length ?? 0) > 0;
}

async function bodyOf(http: SecondFactorHttp, ctx: Context): Promise<unknown> {
  const parsed = (ctx.request as { body?: unknown }).body;
  const options = { limit: http.bodyLimit };
  if (parsed === undefined) {
    return BODYLESS.has(ctx.method) ? undefined : readJsonBody(ctx.req, ctx.headers, options);
  }
  if (!sentBody(ctx)) return undefined;
  // The host's body parser read it first: its value is held to the rules of a body read here (sent as
  // `application/json`, within the limit), so a form its parser turned into an object is still refused.
  return readJsonBody(once(JSON.stringify(parsed) ?? ''), ctx.headers, options);
}

function queryOf(ctx: Context): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(ctx.querystring)) if (!(key in query)) query[key] = value;
  return query;
}

/** The neutral request of `ctx`; rejects with the HTTP layer's error for a bad body. @internal */
export async function toHttpRequest(
  http: SecondFactorHttp,
  binding: SessionBinding,
  ctx: Context,
  match: RouteMatch,
): Promise<HttpRequest> {
  return {
    method: ctx.method,
    path: match.path,
    params: match.params,
    query: queryOf(ctx),
    body: await bodyOf(http, ctx),
    headers: ctx.headers,
    ip: ctx.req.socket.remoteAddress ?? '',
    session: accessOf(binding, ctx),
  };
}

/** Writes an answer; cookies are added to those other middleware set (koa-session's). @internal */
export function send(ctx: Context, response: HttpResponse): void {
  ctx.status = response.status;
  for (const [name, value] of Object.entries(response.headers)) {
    if (name === 'set-cookie') ctx.append(name, value);
    else ctx.set(name, value);
  }
  ctx.body = response.body;
}
