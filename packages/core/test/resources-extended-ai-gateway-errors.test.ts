import { describe, expect, it } from 'vitest';
import { AIGatewayError, KnoxCallError } from '../src/errors.js';
import { aiGatewayErrorFrom, isAIGatewayErrorBody } from '../src/resources/extended/ai-gateway-errors.js';

/** Pure functions over a response a provider client already received (contract transport §5.7). */
describe('isAIGatewayErrorBody', () => {
  it('accepts only {error, code, error_description} strings with error === code', () => {
    expect(isAIGatewayErrorBody({ error: 'budget_exceeded', code: 'budget_exceeded', error_description: 'Daily budget reached' })).toBe(true);
    expect(isAIGatewayErrorBody({ error: 'invalid_grant', error_description: 'bad' })).toBe(false); // OAuth
    expect(isAIGatewayErrorBody({ error: { type: 'not_found', message: 'x' } })).toBe(false); // management envelope
    expect(isAIGatewayErrorBody({ error: 'legacy', code: 'other', error_description: 'x' })).toBe(false);
    expect(isAIGatewayErrorBody({ error: 'x', code: 'x', error_description: 5 })).toBe(false);
    for (const notObject of [null, undefined, 'budget_exceeded', 42, ['x']]) expect(isAIGatewayErrorBody(notObject)).toBe(false);
  });
});

describe('aiGatewayErrorFrom', () => {
  const body = { error: 'budget_exceeded', code: 'budget_exceeded', error_description: 'Daily budget reached', utilization_pct: 104, request_id: 'req_body' };

  it('builds an AIGatewayError with the description, code, status and the raw body', () => {
    const err = aiGatewayErrorFrom(429, body, { 'Retry-After': '120' })!;
    expect(err).toBeInstanceOf(AIGatewayError);
    expect(err).toBeInstanceOf(KnoxCallError);
    expect(err).toMatchObject({
      message: 'Daily budget reached',
      code: 'budget_exceeded',
      errorDescription: 'Daily budget reached',
      status: 429,
      retryAfter: 120,
    });
    expect(err.body).toBe(body);
    expect((err.body as typeof body).utilization_pct).toBe(104);
  });

  it('takes Retry-After only as digits (absent, empty or a date → undefined)', () => {
    expect(aiGatewayErrorFrom(429, body)?.retryAfter).toBeUndefined();
    expect(aiGatewayErrorFrom(429, body, { 'retry-after': '' })?.retryAfter).toBeUndefined();
    expect(aiGatewayErrorFrom(429, body, { 'retry-after': 'Wed, 21 Oct 2026 07:28:00 GMT' })?.retryAfter).toBeUndefined();
    expect(aiGatewayErrorFrom(503, body, new Headers({ 'retry-after': '30' }))?.retryAfter).toBe(30);
  });

  it('prefers the X-Request-Id header (any case, Headers or record) over the body request_id', () => {
    expect(aiGatewayErrorFrom(403, body)?.requestId).toBe('req_body');
    expect(aiGatewayErrorFrom(403, body, { 'X-REQUEST-ID': 'req_header' })?.requestId).toBe('req_header');
    expect(aiGatewayErrorFrom(403, body, new Headers({ 'x-request-id': 'req_h2' }))?.requestId).toBe('req_h2');
    // A Headers-like object from another fetch implementation (not the global class).
    const foreign = new Map([['X-Request-Id', 'req_polyfill']]);
    const polyfilled = { get: (n: string) => foreign.get(n) ?? null, forEach: (cb: (v: string, k: string) => void) => foreign.forEach(cb) };
    expect(aiGatewayErrorFrom(403, body, polyfilled as unknown as Headers)?.requestId).toBe('req_polyfill');
  });

  it('returns null for any other body', () => {
    expect(aiGatewayErrorFrom(400, { error: 'invalid_grant', error_description: 'x' })).toBeNull();
    expect(aiGatewayErrorFrom(502, '<html>bad gateway</html>')).toBeNull();
  });
});
