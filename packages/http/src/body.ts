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
  options: { limit?: number | undefined } = {},
): Promise<unknown> {
  const limit = options.limit ?? DEFAULT_BODY_LIMIT;
  const declared = Number(header(headers, 'content-length') ?? Number.NaN);
  if (declared > limit) throw tooLarge(limit);
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

/** Parses a body the framework read as text. @internal */
export function parseJsonText(text: string, headers: HttpHeaders): unknown {
  if (text.trim() === '') return undefined;
  const type = header(headers, 'content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
    throw invalid('body', 'must be sent as application/json');
  }
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
