/**
 * @module
 * Request bodies: read with a size limit (a larger one is refused before it is all read), JSON only, and
 * checked against the route's fields before the service is called, so a wrong type is a 400
 * `invalid_argument` naming the field and nothing is written.
 */
import { SecondFactorError } from '@secondfactor/core';
import { HttpError } from './errors';
import { type HttpHeaders, header } from './request';

/**
 * The default body limit in bytes: far above any 2FA request, far below what could tie up a process.
 *
 * @example
 * ```ts
 * import { DEFAULT_BODY_LIMIT, readJsonBody } from '@secondfactor/http';
 *
 * const body = await readJsonBody(request, request.headers, { limit: DEFAULT_BODY_LIMIT });
 * ```
 */
export const DEFAULT_BODY_LIMIT: number = 16 * 1024;

const invalid = (name: string, why: string): SecondFactorError =>
  new SecondFactorError('invalid_argument', `${name} ${why}`);

/**
 * Reads a request body of at most `limit` bytes and parses it as JSON: `undefined` for an empty body,
 * `payload_too_large` (413) past the limit, `invalid_argument` (400) for a body that is not JSON or not
 * sent as `application/json`.
 *
 * @example
 * ```ts
 * import { readJsonBody } from '@secondfactor/http';
 *
 * const body = await readJsonBody(request, request.headers, { limit: 16 * 1024 }); // request: a Node IncomingMessage
 * ```
 */
export async function readJsonBody(
  stream: AsyncIterable<Uint8Array | string>,
  headers: HttpHeaders,
  options: BodyOptions = {},
): Promise<unknown> {
  const limit = options.limit ?? DEFAULT_BODY_LIMIT;
  if (declaredLength(headers) > limit) throw tooLarge(limit);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    size += bytes.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(bytes);
  }
  if (size === 0) return undefined;
  const joined = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    joined.set(chunk, at);
    at += chunk.length;
  }
  return parseJsonText(new TextDecoder().decode(joined), headers);
}

/**
 * Holds a body the host's own parser already read (Express's `express.json()` or `express.urlencoded()`,
 * `@koa/bodyparser`) to the rules {@link readJsonBody} applies: `undefined` when the request carried no
 * body, whatever the parser left; `payload_too_large` (413) when its declared length or its size as JSON
 * is over `limit`; `invalid_argument` (400) unless it was sent as `application/json`, so a form the
 * parser turned into an object is refused. The value itself is returned as the parser made it.
 *
 * @example
 * ```ts
 * import { checkParsedBody } from '@secondfactor/http';
 *
 * const body = checkParsedBody(req.body, req.headers, { limit: 16 * 1024 }); // req.body: from express.json()
 * ```
 */
export function checkParsedBody(value: unknown, headers: HttpHeaders, options: BodyOptions = {}): unknown {
  const limit = options.limit ?? DEFAULT_BODY_LIMIT;
  const declared = declaredLength(headers);
  if (declared > limit) throw tooLarge(limit);
  // A parser may leave `{}` for a request without a body: what was sent decides, as a stream's length does.
  if (!(declared > 0) && (header(headers, 'transfer-encoding') ?? '') === '') return undefined;
  const text = JSON.stringify(value) ?? '';
  if (new TextEncoder().encode(text).length > limit) throw tooLarge(limit);
  if (text.trim() === '') return undefined;
  checkJsonType(headers);
  return value;
}

/**
 * The body of a request as the route table takes it, for an adapter: the value the host's own parser
 * left, held to the rules by {@link checkParsedBody}; none for `GET`, `HEAD` and `DELETE`; otherwise the
 * body read from `stream` by {@link readJsonBody}.
 *
 * @example
 * ```ts
 * import { readRequestBody } from '@secondfactor/http';
 *
 * const body = await readRequestBody(req, req.headers, { method: req.method, parsed: req.body, limit: http.bodyLimit });
 * ```
 */
export async function readRequestBody(
  stream: AsyncIterable<Uint8Array | string>,
  headers: HttpHeaders,
  options: RequestBodyOptions,
): Promise<unknown> {
  const { method, parsed, ...bodyOptions } = options;
  if (parsed !== undefined) return checkParsedBody(parsed, headers, bodyOptions);
  if (BODYLESS.has(method)) return undefined;
  return readJsonBody(stream, headers, bodyOptions);
}

const BODYLESS = new Set(['GET', 'HEAD', 'DELETE']);

/**
 * Options of {@link readJsonBody} and {@link checkParsedBody}.
 *
 * @example
 * ```ts
 * import type { BodyOptions } from '@secondfactor/http';
 *
 * const options: BodyOptions = { limit: 8 * 1024 };
 * ```
 */
export interface BodyOptions {
  /**
   * The largest body accepted, in bytes.
   * @default DEFAULT_BODY_LIMIT
   */
  limit?: number | undefined;
}

/**
 * Options of {@link readRequestBody}.
 *
 * @example
 * ```ts
 * import type { RequestBodyOptions } from '@secondfactor/http';
 *
 * const options: RequestBodyOptions = { method: ctx.method, parsed: ctx.request.body, limit: http.bodyLimit };
 * ```
 */
export interface RequestBodyOptions extends BodyOptions {
  /** The request's method, upper-case. */
  method: string;
  /** What the host's body parser left on the request; `undefined` when none ran. */
  parsed?: unknown;
}

/** The `Content-Length` header as a number, `NaN` without one. */
const declaredLength = (headers: HttpHeaders): number =>
  Number(header(headers, 'content-length') ?? Number.NaN);

function checkJsonType(headers: HttpHeaders): void {
  const type = header(headers, 'content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
    throw invalid('body', 'must be sent as application/json');
  }
}

/** Parses a body read as text. */
function parseJsonText(text: string, headers: HttpHeaders): unknown {
  if (text.trim() === '') return undefined;
  checkJsonType(headers);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalid('body', 'must be JSON');
  }
}

const tooLarge = (limit: number): HttpError =>
  new HttpError('payload_too_large', 'The request is too large.', { limitBytes: limit });

/**
 * A field check: the value (maybe `undefined`) in, the checked value out, or `invalid_argument`.
 *
 * @example
 * ```ts
 * import type { Field } from '@secondfactor/http';
 *
 * const label: Field<string> = (name, value) => {
 *   if (typeof value !== 'string') throw new SecondFactorError('invalid_argument', `${name} must be a string`);
 *   return value;
 * };
 * ```
 */
export type Field<T> = (name: string, value: unknown) => T;

/**
 * A route's body: each field's check; any other field is refused.
 *
 * @example
 * ```ts
 * import type { BodySchema } from '@secondfactor/http';
 *
 * const schema: BodySchema = { label: label }; // a Field<string>
 * ```
 */
export type BodySchema = Readonly<Record<string, Field<unknown>>>;

/** The checked body of a schema. */
export type BodyOf<S extends BodySchema> = { [K in keyof S]: ReturnType<S[K]> };

/** A string of 1 to `max` characters. @internal */
export const text =
  (max = 255): Field<string> =>
  (name, value) => {
    if (typeof value !== 'string' || value.length === 0 || value.length > max) {
      throw invalid(name, `must be a string of 1 to ${max} characters`);
    }
    return value;
  };

/** A string of at most `max` characters, the empty one included (a code the service judges). @internal */
export const code =
  (max = 64): Field<string> =>
  (name, value) => {
    if (typeof value !== 'string' || value.length > max) {
      throw invalid(name, `must be a string of at most ${max} characters`);
    }
    return value;
  };

/** One of `values`. @internal */
export const oneOf =
  <T extends string>(values: readonly T[]): Field<T> =>
  (name, value) => {
    if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
      throw invalid(name, `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}`);
    }
    return value as T;
  };

/** A boolean. @internal */
export const bool: Field<boolean> = (name, value) => {
  if (typeof value !== 'boolean') throw invalid(name, 'must be true or false');
  return value;
};

/** A time in Unix ms. @internal */
export const time: Field<number> = (name, value) => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalid(name, 'must be a time in milliseconds');
  }
  return value;
};

/** A list of at most `max` strings of 1 to 64 characters. @internal */
export const texts =
  (max: number): Field<string[]> =>
  (name, value) => {
    if (!Array.isArray(value) || value.length === 0 || value.length > max) {
      throw invalid(name, `must be a list of 1 to ${max} strings`);
    }
    return value.map((item, index) => text(64)(`${name}[${index}]`, item));
  };

/** A JSON object (checked further by the service) or `null`. @internal */
export const objectOrNull: Field<Record<string, unknown> | null> = (name, value) => {
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(name, 'must be an object or null');
  return value as Record<string, unknown>;
};

/** Any JSON value (a webhook's update, which its reader checks). @internal */
export const anyJson: Field<unknown> = (_name, value) => value;

/** The same check, but the field may be absent. @internal */
export const optional =
  <T>(field: Field<T>): Field<T | undefined> =>
  (name, value) =>
    value === undefined ? undefined : field(name, value);

/**
 * The body checked against `schema`: an object with known fields only (a route without fields takes
 * no body or `{}`). @internal
 */
export function checkBody<S extends BodySchema>(schema: S, body: unknown): BodyOf<S> {
  const value = body === undefined ? {} : body;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('body', 'must be a JSON object');
  }
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(schema, key)) throw invalid(`body.${key}`, 'is not a known field');
  }
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema)) {
    const checked = field(`body.${key}`, (value as Record<string, unknown>)[key]);
    if (checked !== undefined) out[key] = checked;
  }
  return out as BodyOf<S>;
}

/** An optional name or id (1 to 255 characters). @internal */
export const optionalText: Field<string | undefined> = optional(text());

/** An optional boolean. @internal */
export const optionalBool: Field<boolean | undefined> = optional(bool);
