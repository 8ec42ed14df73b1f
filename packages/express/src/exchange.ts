/**
 * @module
 * An Express request as the HTTP layer's neutral request, and its answer written back: the same for
 * Express 4 and 5 (the body is read here unless the host's `express.json()` already did; the query is
 * read from the URL, not from either version's query parser; the address is the TCP peer's, E7).
 */
import { type HttpRequest, type HttpResponse, readJsonBody, type SecondFactorHttp } from '@secondfactor/http';
import type { Request, Response } from 'express';
import { accessOf, type SessionBinding } from './session';

const BODYLESS = new Set(['GET', 'HEAD', 'DELETE']);

function queryOf(req: Request): Record<string, string> {
  const url = new URL(req.originalUrl ?? req.url, 'http://localhost');
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) if (!(key in query)) query[key] = value;
  return query;
}

/** The neutral request of `req`; rejects with the HTTP layer's error for a bad body. @internal */
export async function toHttpRequest(
  http: SecondFactorHttp,
  binding: SessionBinding,
  req: Request,
): Promise<HttpRequest> {
  const parsed = (req as { body?: unknown }).body;
  const body =
    parsed !== undefined || BODYLESS.has(req.method)
      ? parsed
      : await readJsonBody(req, req.headers, { limit: http.bodyLimit });
  return {
    method: req.method,
    path: req.path,
    params: { ...(req.params as Record<string, string>) },
    query: queryOf(req),
    body,
    headers: req.headers,
    ip: req.socket.remoteAddress ?? '',
    session: accessOf(binding, req),
  };
}

/** Writes an answer. @internal */
export function send(res: Response, response: HttpResponse): void {
  res.statusCode = response.status;
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  res.end(response.body ?? undefined);
}
