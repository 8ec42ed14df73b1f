/**
 * @module
 * A Koa context as the HTTP layer's neutral request, and its answer written back: the same for Koa 2
 * and 3. The body is read here with the layer's limit; one the host's own parser already put in
 * `ctx.request.body` goes through the same checks. The address is the TCP peer's, not `ctx.ip` (E7).
 */
import {
  type HttpRequest,
  type HttpResponse,
  type RouteMatch,
  readRequestBody,
  type SecondFactorHttp,
  type SessionBinding,
  sessionAccess,
} from '@secondfactor/http';
import type { Context } from 'koa';

function queryOf(ctx: Context): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(ctx.querystring)) if (!(key in query)) query[key] = value;
  return query;
}

/** The neutral request of `ctx`; rejects with the HTTP layer's error for a bad body. @internal */
export async function toHttpRequest(
  http: SecondFactorHttp,
  binding: SessionBinding<Context>,
  ctx: Context,
  path: string,
  match: RouteMatch,
): Promise<HttpRequest> {
  return {
    method: ctx.method,
    // Below the prefix, without the trailing slash the match allows.
    path: path.replace(/\/$/, ''),
    params: match.params,
    query: queryOf(ctx),
    // A body the host's parser read is held to the same rules, so a form it turned into an object is refused.
    body: await readRequestBody(ctx.req, ctx.headers, {
      method: ctx.method,
      parsed: (ctx.request as { body?: unknown }).body,
      limit: http.bodyLimit,
    }),
    headers: ctx.headers,
    ip: ctx.req.socket.remoteAddress ?? '',
    session: sessionAccess(binding, ctx),
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
