/**
 * The error answer: every `SecondFactorError` code and every HTTP-only code maps to one status and the
 * one JSON shape; `Retry-After` on a lock or a send limit (E8); messages replaced by code or by function;
 * anything else is a 500 `internal` that tells nothing.
 */
import { ERROR_STATUS, SecondFactorError, type SecondFactorErrorCode } from '@secondfactor/core';
import { errorResponse, HTTP_ERROR_STATUS, statusOf } from '@secondfactor/http';
import { describe, expect, it } from 'vitest';

const body = (response: { body: string | null }) => JSON.parse(response.body ?? 'null');

describe('error answers', () => {
  it('every SecondFactorError code answers its status with { error: { code, message } }', () => {
    for (const code of Object.keys(ERROR_STATUS) as SecondFactorErrorCode[]) {
      const response = errorResponse(new SecondFactorError(code, `message of ${code}`));
      expect(response.status, code).toBe(ERROR_STATUS[code]);
      expect(body(response), code).toEqual({ error: { code, message: `message of ${code}` } });
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    }
  });

  it('the HTTP-only codes have their own statuses', () => {
    expect(HTTP_ERROR_STATUS).toEqual({
      second_factor_required: 401,
      enrollment_required: 401,
      recent_second_factor_required: 401,
      payload_too_large: 413,
    });
    expect(statusOf('second_factor_required')).toBe(401);
    expect(statusOf('locked_out')).toBe(429);
  });

  it('detail is passed on', () => {
    const error = new SecondFactorError('policy_denied', 'no', { detail: { reason: 'not_admin' } });
    expect(body(errorResponse(error))).toEqual({
      error: { code: 'policy_denied', message: 'no', detail: { reason: 'not_admin' } },
    });
  });

  it('E8: locked_out and rate_limited carry Retry-After in whole seconds, rounded up, at least 1', () => {
    const locked = (retryAfterMs: number) =>
      errorResponse(new SecondFactorError('locked_out', 'locked', { detail: { retryAfterMs } }));
    expect(locked(30_000).headers['retry-after']).toBe('30');
    expect(locked(30_001).headers['retry-after']).toBe('31');
    expect(locked(0).headers['retry-after']).toBe('1');
    const limited = errorResponse(
      new SecondFactorError('rate_limited', 'wait', { detail: { retryAfterMs: 1500 } }),
    );
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('2');
    expect(errorResponse(new SecondFactorError('otp_invalid', 'x')).headers['retry-after']).toBeUndefined();
  });

  it('messages are replaced by a table of codes or by a function, the rest kept', () => {
    const error = new SecondFactorError('otp_invalid', 'Otp invalid!');
    expect(body(errorResponse(error, { otp_invalid: 'Code ungültig!' })).error.message).toBe(
      'Code ungültig!',
    );
    expect(body(errorResponse(error, { locked_out: 'Gesperrt' })).error.message).toBe('Otp invalid!');
    const byFunction = errorResponse(error, (e) =>
      e.code === 'otp_invalid' ? 'Código inválido' : undefined,
    );
    expect(body(byFunction).error.message).toBe('Código inválido');
  });

  it('an error that is not a SecondFactorError is a 500 internal that tells nothing of it', () => {
    const response = errorResponse(new Error('connect ECONNREFUSED 10.0.0.3:5432 password=hunter2'));
    expect(response.status).toBe(500);
    expect(body(response).error.code).toBe('internal');
    expect(response.body).not.toMatch(/ECONNREFUSED|hunter2/);
  });
});
