/**
 * Request bodies: size-limited before they are all read, JSON only, and checked field by field before
 * any service call (a wrong type is a 400 naming the field); a body the host's parser read is held to the
 * same size and type rules.
 */
import { Readable } from 'node:stream';
import { isSecondFactorError } from '@secondfactor/core';
import { checkParsedBody, readJsonBody } from '@secondfactor/http';
import { describe, expect, it } from 'vitest';
import { checkBody, code, optionalBool, text } from '../src/body';

const json = { 'content-type': 'application/json' };
const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return isSecondFactorError(error) ? error.code : (error as { code?: string }).code;
  }
};

describe('readJsonBody', () => {
  it('parses a JSON body and reads an empty one as undefined', async () => {
    expect(await readJsonBody(Readable.from([Buffer.from('{"a":'), Buffer.from('1}')]), json)).toEqual({
      a: 1,
    });
    expect(await readJsonBody(Readable.from([]), json)).toBeUndefined();
  });

  it('refuses a body over the limit, by its declared length or as it streams', async () => {
    const big = Buffer.alloc(2048, 0x20);
    expect(await codeOf(readJsonBody(Readable.from([big]), json, { limit: 1024 }))).toBe('payload_too_large');
    const declared = { ...json, 'content-length': '999999' };
    expect(await codeOf(readJsonBody(Readable.from([]), declared, { limit: 1024 }))).toBe(
      'payload_too_large',
    );
  });

  it('refuses a body that is not JSON or not sent as JSON', async () => {
    expect(await codeOf(readJsonBody(Readable.from(['{nope']), json))).toBe('invalid_argument');
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expect(await codeOf(readJsonBody(Readable.from(['a=1']), form))).toBe('invalid_argument');
    expect(await codeOf(readJsonBody(Readable.from(['{}']), {}))).toBe('invalid_argument');
  });
});

describe('checkParsedBody', () => {
  const sent = (length: number, type = 'application/json') => ({
    'content-type': type,
    'content-length': String(length),
  });
  const codeOfCall = (call: () => unknown) => codeOf(Promise.resolve().then(call));

  it('passes a JSON body on as the parser made it', () => {
    const value = { method: 'totp', code: '123456' };
    expect(checkParsedBody(value, sent(38))).toBe(value);
    expect(
      checkParsedBody(value, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }),
    ).toBe(value);
  });

  it('reads a request that carried no body as undefined, whatever the parser left', () => {
    expect(checkParsedBody({}, {})).toBeUndefined();
    expect(checkParsedBody({}, { 'content-length': '0', 'content-type': 'text/plain' })).toBeUndefined();
  });

  it('refuses a body over the limit, by its declared length or by its size as JSON', async () => {
    expect(await codeOfCall(() => checkParsedBody({}, sent(999_999), { limit: 1024 }))).toBe(
      'payload_too_large',
    );
    const big = { code: '1'.repeat(2048) };
    expect(await codeOfCall(() => checkParsedBody(big, sent(10), { limit: 1024 }))).toBe('payload_too_large');
  });

  it('refuses a form or any body not sent as application/json', async () => {
    const form = sent(24, 'application/x-www-form-urlencoded');
    expect(await codeOfCall(() => checkParsedBody({ method: 'totp', code: '1' }, form))).toBe(
      'invalid_argument',
    );
    expect(await codeOfCall(() => checkParsedBody('text', sent(4, 'text/plain')))).toBe('invalid_argument');
    expect(checkParsedBody({ a: 1 }, sent(7, 'application/merge-patch+json; charset=utf-8'))).toEqual({
      a: 1,
    });
  });
});

describe('checkBody', () => {
  const schema = { code: code(), deviceId: text(), remember: optionalBool };

  it('returns the checked fields, optional ones left out when absent', () => {
    expect(checkBody(schema, { code: '123456', deviceId: 'd1' })).toEqual({ code: '123456', deviceId: 'd1' });
  });

  it.each([
    [{ code: 123456, deviceId: 'd1' }, /body\.code/],
    [{ code: '1', deviceId: '' }, /body\.deviceId/],
    [{ code: '1', deviceId: 'd', remember: 'yes' }, /body\.remember/],
    [{ code: '1', deviceId: 'd', userId: 'bob' }, /body\.userId/],
    [[], /body/],
    ['text', /body/],
    [null, /body/],
  ])('refuses %j with invalid_argument naming the field', (body, name) => {
    try {
      checkBody(schema, body);
      expect.unreachable();
    } catch (error) {
      expect(isSecondFactorError(error) && error.code).toBe('invalid_argument');
      expect((error as Error).message).toMatch(name);
    }
  });
});
