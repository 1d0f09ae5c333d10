import { describe, expect, it } from 'vitest';
import { WebhookHandlerError, WebhookRetryLaterError, knoxErrorToResponse } from '../src/adapter/index.js';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  AuthenticationError,
  BootstrapError,
  ConflictError,
  KnoxCallError,
  NotFoundError,
  PaymentRequiredError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  ValidationError,
  WebhookSignatureVerificationError,
} from '../src/errors.js';

describe('knoxErrorToResponse', () => {
  it('answers 502 for a rejected credential (401/403) without repeating what KnoxCall said', () => {
    for (const err of [
      new AuthenticationError('invalid token kc_secret_value', { status: 401, code: 'invalid_token', requestId: 'req_1' }),
      new PermissionDeniedError('wrong_key_type', { status: 403, code: 'wrong_key_type', requestId: 'req_1' }),
    ]) {
      const response = knoxErrorToResponse(err)!;
      expect(response.status).toBe(502);
      expect(response.body.error.request_id).toBe('req_1');
      expect(JSON.stringify(response)).not.toContain('kc_secret_value');
    }
  });

  it('passes 404 and 409 through with their code and message', () => {
    expect(knoxErrorToResponse(new NotFoundError('route not found', { status: 404, code: 'route_not_found', requestId: 'r' }))).toEqual({
      status: 404,
      headers: {},
      body: { error: { type: 'route_not_found', message: 'route not found', request_id: 'r' } },
    });
    const conflict = knoxErrorToResponse(new ConflictError('in use', { status: 409 }))!;
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.type).toBe('conflict');
    expect(conflict.body.error).not.toHaveProperty('request_id');
  });

  it('answers 422 with the per-field messages', () => {
    const err = new ValidationError('invalid', { status: 422, code: 'validation_error', fields: { name: ['is required'] }, requestId: 'q' });
    const response = knoxErrorToResponse(err)!;
    expect(response.status).toBe(422);
    expect(response.body.error.fields).toEqual({ name: ['is required'] });
  });

  it('answers 503 with Retry-After (whole seconds, rounded up) for a 429', () => {
    const response = knoxErrorToResponse(new RateLimitError('slow down', { status: 429, retryAfter: 1.2 }))!;
    expect(response.status).toBe(503);
    expect(response.headers).toEqual({ 'Retry-After': '2' });
    expect(knoxErrorToResponse(new RateLimitError('slow down', { status: 429 }))!.headers).toEqual({});
  });

  it('answers 502 for KnoxCall server errors and other refusals', () => {
    expect(knoxErrorToResponse(new ServerError('boom', { status: 503 }))!.status).toBe(502);
    expect(knoxErrorToResponse(new ServerError('boom', { status: 500 }))!.status).toBe(502);
    expect(knoxErrorToResponse(new PaymentRequiredError('plan', { status: 402 }))!.status).toBe(502);
    expect(knoxErrorToResponse(new KnoxCallError('bad', { status: 400 }))!.status).toBe(502);
  });

  it('names an unreadable 2xx and a 3xx for what they are (not a refusal), still 502', () => {
    const unreadable = knoxErrorToResponse(
      new KnoxCallError('expected JSON from https://api.knoxcall.com/v1/routes but got HTML', { status: 200, code: 'invalid_response', requestId: 'r2' }),
    )!;
    expect(unreadable.status).toBe(502);
    expect(unreadable.body.error.message).toBe('KnoxCall answered with an unreadable response (HTTP 200)');
    expect(unreadable.body.error.request_id).toBe('r2');
    const redirect = knoxErrorToResponse(
      new KnoxCallError('unexpected HTTP 302 redirect from https://api.knoxcall.com/v1/routes to https://login.example.test/', {
        status: 302,
        code: 'unexpected_redirect',
      }),
    )!;
    expect(redirect.status).toBe(502);
    expect(redirect.body.error.message).toBe('KnoxCall answered with a redirect, which the SDK does not follow (HTTP 302)');
    // the redirect target (possibly carrying tokens in a query) never reaches the end user
    expect(JSON.stringify(redirect)).not.toContain('login.example.test');
    expect(knoxErrorToResponse(new KnoxCallError('bad', { status: 400 }))!.body.error.message).toBe('KnoxCall refused the request (HTTP 400)');
  });

  it('answers 504 for a timeout, 502 for a connection failure, 499 for an abort', () => {
    expect(knoxErrorToResponse(new APIConnectionTimeoutError())!.status).toBe(504);
    expect(knoxErrorToResponse(new APIConnectionError('network error: ECONNREFUSED'))!.status).toBe(502);
    expect(knoxErrorToResponse(new APIUserAbortError())!.status).toBe(499);
    class MyTimeout extends APIConnectionTimeoutError {}
    expect(knoxErrorToResponse(new MyTimeout())!.status).toBe(504);
  });

  it('answers 500 for a client-side configuration error', () => {
    const response = knoxErrorToResponse(new BootstrapError('no credentials found'))!;
    expect(response.status).toBe(500);
    expect(response.body.error.type).toBe('knoxcall_configuration_error');
  });

  it('maps webhook failures with the contract table', () => {
    expect(knoxErrorToResponse(new WebhookSignatureVerificationError('webhook signature verification failed', 'signature_mismatch'))).toEqual({
      status: 401,
      headers: {},
      body: { error: { type: 'signature_mismatch', message: 'webhook signature verification failed' } },
    });
    expect(knoxErrorToResponse(new WebhookSignatureVerificationError('x', 'payload_too_large'))!.status).toBe(413);
  });

  it('answers a failed webhook handler 500 handler_failed', () => {
    const response = knoxErrorToResponse(new WebhookHandlerError(new Error('db down'), 'request.success'))!;
    expect(response.status).toBe(500);
    expect(response.body.error.type).toBe('handler_failed');
    expect(response.body.error.message).not.toContain('db down');
  });

  it('answers a webhook delivery to retry later 409 / 503 with its Retry-After, never a 2xx', () => {
    expect(knoxErrorToResponse(new WebhookRetryLaterError('delivery_in_progress', 'retry later', 60))).toEqual({
      status: 409,
      headers: { 'retry-after': '60' },
      body: { error: { type: 'delivery_in_progress', message: 'retry later' } },
    });
    const unavailable = knoxErrorToResponse(new WebhookRetryLaterError('replay_store_unavailable', 'store down', 5, new Error('ECONNREFUSED')))!;
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers).toEqual({ 'retry-after': '5' });
    expect(JSON.stringify(unavailable.body)).not.toContain('ECONNREFUSED');
  });

  it('returns undefined for errors that are not KnoxCall errors', () => {
    expect(knoxErrorToResponse(new Error('boom'))).toBeUndefined();
    expect(knoxErrorToResponse('boom')).toBeUndefined();
    expect(knoxErrorToResponse(undefined)).toBeUndefined();
  });
});
