/**
 * Request bodies: size-limited before they are all read, JSON only, and checked field by field before
 * any service call (a wrong type is a 400 naming the field).
 */
import { Readable } from 'node:stream';
import { isSecondFactorError } from '@secondfactor/core';
import { readJsonBody } from '@secondfactor/http';
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
