import { describe, expect, it } from 'vitest';
import { errorFromResponse, parseHttpDate, parseRetryAfter, summarizeErrorBody } from '../src/error-from-response.js';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  AuthenticationError,
  BootstrapError,
  ConflictError,
  isKnoxCallError,
  KnoxCallError,
  NotAuthenticatedError,
  NotFoundError,
  PaymentRequiredError,
  PermissionDeniedError,
  PermissionError,
  RateLimitError,
  ServerError,
  ValidationError,
} from '../src/errors.js';

describe('status → class (transport §5.4)', () => {
  it.each([
    [401, AuthenticationError],
    [402, PaymentRequiredError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [422, ValidationError],
    [429, RateLimitError],
    [500, ServerError],
    [503, ServerError],
    [599, ServerError],
  ])('%i → %o', (status, cls) => {
    const error = errorFromResponse(status, {}, null);
    expect(error).toBeInstanceOf(cls);
    expect(error.status).toBe(status);
    expect(error.name).toBe(cls.name);
  });

  it.each([400, 405, 408, 410, 413])('%i → base KnoxCallError', (status) => {
    const error = errorFromResponse(status, {}, { error: 'invalid_grant', error_description: 'bad grant' });
    expect(error.constructor).toBe(KnoxCallError);
    expect(error.code).toBe('invalid_grant');
    expect(error.message).toBe('bad grant');
  });

  it('PermissionError is the same class as PermissionDeniedError', () => {
    expect(PermissionError).toBe(PermissionDeniedError);
    expect(errorFromResponse(403, {}, { error: 'forbidden' })).toBeInstanceOf(PermissionError);
  });

  it('503 dependency_unavailable is a ServerError, never an auth error', () => {
    const error = errorFromResponse(
      503,
      { 'x-request-id': 'req_hdr', 'retry-after': '5' },
      { error: { type: 'dependency_unavailable', message: 'Database is down', request_id: 'req_body' } },
    ) as ServerError;
    expect(error).toBeInstanceOf(ServerError);
    expect(error).not.toBeInstanceOf(AuthenticationError);
    expect(error.code).toBe('dependency_unavailable');
    expect(error.requestId).toBe('req_hdr');
    expect(error.retryAfter).toBe(5);
    expect(error.message).toBe('Database is down');
  });

  it('402 plan_limit and plan_feature are both PaymentRequiredError; 403 privilege_escalation keeps its code', () => {
    expect(errorFromResponse(402, {}, { error: { type: 'plan_limit' } })).toBeInstanceOf(PaymentRequiredError);
    expect(errorFromResponse(402, {}, { error: { type: 'plan_feature' } })).toBeInstanceOf(PaymentRequiredError);
    const e = errorFromResponse(403, {}, { error: { type: 'privilege_escalation', message: 'no' } });
    expect(e).toBeInstanceOf(PermissionDeniedError);
    expect(e.code).toBe('privilege_escalation');
  });

  it('422 carries fields ({} when absent); 429 carries retryAfter', () => {
    const v = errorFromResponse(422, {}, { error: { type: 'validation_error', message: 'bad' }, fields: { name: ['required'] } });
    expect((v as ValidationError).fields).toEqual({ name: ['required'] });
    expect((errorFromResponse(422, {}, {}) as ValidationError).fields).toEqual({});
    expect((errorFromResponse(429, { 'retry-after': '60' }, {}) as RateLimitError).retryAfter).toBe(60);
    expect((errorFromResponse(500, {}, {}) as ServerError).retryAfter).toBeUndefined();
  });

  it('keeps headers and body; carries no request headers', () => {
    const error = errorFromResponse(404, { 'x-request-id': 'r1', 'content-type': 'application/json' }, { error: { type: 'not_found' } });
    expect(error.headers).toEqual({ 'x-request-id': 'r1', 'content-type': 'application/json' });
    expect(error.body).toEqual({ error: { type: 'not_found' } });
  });

  it('appends a body hint for non-JSON error pages', () => {
    const error = errorFromResponse(502, {}, '<html>Bad gateway</html>', 'expected JSON from https://h/v1/x but got text/html (a proxy in between?)');
    expect(error).toBeInstanceOf(ServerError);
    expect(error.message).toBe('HTTP 502: expected JSON from https://h/v1/x but got text/html (a proxy in between?)');
  });
});

describe('error body shapes (transport §5.3)', () => {
  it('Shape A', () => {
    expect(summarizeErrorBody(403, { error: { type: 'wrong_key_type', message: 'Use a secret key', request_id: 'req_1' } })).toEqual({
      message: 'Use a secret key',
      code: 'wrong_key_type',
      requestId: 'req_1',
    });
    expect(summarizeErrorBody(403, { error: { type: 'forbidden' } }).message).toBe('forbidden');
    expect(summarizeErrorBody(403, { error: {} }).message).toBe('HTTP 403');
  });

  it('flat shapes B, C, OAuth and AI', () => {
    expect(summarizeErrorBody(500, { error: 'Something broke', statusCode: 500, errorId: 'err_9' })).toEqual({
      message: 'Something broke',
      code: 'Something broke',
      requestId: 'err_9',
    });
    expect(summarizeErrorBody(409, { error: 'conflict_code', message: 'Already exists' })).toEqual({
      message: 'Already exists',
      code: 'conflict_code',
      requestId: undefined,
    });
    expect(summarizeErrorBody(400, { error: 'invalid_grant', error_description: 'expired', request_id: 'r' })).toEqual({
      message: 'expired',
      code: 'invalid_grant',
      requestId: 'r',
    });
    expect(summarizeErrorBody(429, { error: 'budget_exceeded', error_description: 'Budget', code: 'budget_exceeded' }).code).toBe('budget_exceeded');
  });

  it('non-object bodies', () => {
    expect(summarizeErrorBody(502, '<html/>')).toEqual({ message: 'HTTP 502', code: undefined, requestId: undefined });
    expect(summarizeErrorBody(500, null).message).toBe('HTTP 500');
    expect(summarizeErrorBody(500, [1, 2]).message).toBe('HTTP 500');
  });

  it('x-request-id header wins over the body', () => {
    expect(errorFromResponse(404, { 'x-request-id': 'hdr' }, { error: { request_id: 'body' } }).requestId).toBe('hdr');
    expect(errorFromResponse(404, {}, { error: { request_id: 'body' } }).requestId).toBe('body');
  });
});

describe('Retry-After parsing (transport §5.5)', () => {
  const now = Date.UTC(2026, 10, 28, 12, 0, 0);
  it('delta seconds, trimmed, decimals allowed', () => {
    expect(parseRetryAfter('60', now)).toBe(60);
    expect(parseRetryAfter(' 5 ', now)).toBe(5);
    expect(parseRetryAfter('1.5', now)).toBe(1.5);
    expect(parseRetryAfter('0', now)).toBe(0);
  });

  it('HTTP-dates in all three RFC 9110 forms, rounded up, never below 0', () => {
    expect(parseRetryAfter('Sat, 28 Nov 2026 12:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('Saturday, 28-Nov-26 12:00:10 GMT', now)).toBe(10);
    expect(parseRetryAfter('Sat Nov 28 12:01:00 2026', now)).toBe(60);
    expect(parseRetryAfter('Sat, 28 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('Sat, 28 Nov 2026 12:00:00 GMT', now + 1)).toBe(0);
    expect(parseRetryAfter('Sat, 28 Nov 2026 12:00:01 GMT', now + 1)).toBe(1);
  });

  it.each(['', '  ', '-5', 'soon', '5s', '2026-11-28T12:00:30Z', 'Sat, 31 Feb 2026 12:00:00 GMT', 'Sat, 28 Nov 2026 25:00:00 GMT'])('ignores %j', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });

  it('null/undefined → undefined; the uncapped value is kept on the error', () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect((errorFromResponse(429, { 'retry-after': '600' }, {}) as RateLimitError).retryAfter).toBe(600);
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
  });
});

describe('the error brand', () => {
  it('every class is a KnoxCallError recognised by isKnoxCallError', () => {
    const all = [
      new KnoxCallError('x'),
      new APIConnectionError('network error: x'),
      new APIConnectionTimeoutError(),
      new APIUserAbortError(),
      new BootstrapError('x'),
      new NotAuthenticatedError('x'),
    ];
    for (const e of all) {
      expect(isKnoxCallError(e)).toBe(true);
      expect(e).toBeInstanceOf(KnoxCallError);
      expect(e.headers).toEqual({});
    }
    expect(new APIConnectionTimeoutError().message).toBe('Request timed out');
    expect(new APIUserAbortError().message).toBe('Request aborted');
    expect(new APIConnectionTimeoutError()).toBeInstanceOf(APIConnectionError);
    expect(isKnoxCallError(new Error('x'))).toBe(false);
    expect(isKnoxCallError({ [Symbol.for('knoxcall.error')]: false })).toBe(false);
    expect(isKnoxCallError(null)).toBe(false);
  });
});
