/**
 * @module
 * An Express request as the HTTP layer's neutral request, and its answer written back: the same for
 * Express 4 and 5 (the body is read here with the layer's limit; one the host's own parser already put in
 * `req.body` goes through the same checks; the query is read from the URL, not from either version's
 * query parser; the address is the TCP peer's, E7).
 */
import {
  type HttpRequest,
  type HttpResponse,
  readRequestBody,
  type SecondFactorHttp,
  type SessionBinding,
  sessionAccess,
} from '@secondfactor/http';
import type { Request, Response } from 'express';

function queryOf(req: Request): Record<string, string> {
  const url = new URL(req.originalUrl ?? req.url, 'http://localhost');
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) if (!(key in query)) query[key] = value;
  return query;
}

/** The neutral request of `req`; rejects with the HTTP layer's error for a bad body. @internal */
export async function toHttpRequest(
  http: SecondFactorHttp,
  binding: SessionBinding<Request>,
  req: Request,
): Promise<HttpRequest> {
  // A body the host's parser read (`express.json()`, `express.urlencoded()`) is held to the same rules,
  // so a form it turned into an object is refused as one read here would be.
  const body = await readRequestBody(req, req.headers, {
    method: req.method,
    parsed: (req as { body?: unknown }).body,
    limit: http.bodyLimit,
  });
  return {
    method: req.method,
    path: req.path,
    params: { ...(req.params as Record<string, string>) },
    query: queryOf(req),
    body,
    headers: req.headers,
    ip: req.socket.remoteAddress ?? '',
    session: sessionAccess(binding, req),
  };
}

/** Writes an answer. @internal */
export function send(res: Response, response: HttpResponse): void {
  res.statusCode = response.status;
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  res.end(response.body ?? undefined);
}
