import { type Emulator, startEmulator } from '@knoxcall/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isKnoxCallError, KnoxCallError, SignupError } from '../src/errors.js';
import { claimSignup, signup } from '../src/signup/index.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu?.close();
});
beforeEach(() => emu.clearRequests());

describe('signup / claimSignup against the emulator', () => {
  it('signup → completeSignup → claim returns the one-time starter key, then 409', async () => {
    const started = await signup({ email: 'ada@example.com', tenant_name: 'Analytical Engines' }, { baseUrl: `${emu.url}/` });
    expect(started.status).toBe('pending');
    expect(started.claim_handle).toMatch(/\S/);
    expect(started.claim_path).toBe('/v1/signup/claim');

    const pending = await claimSignup({ claim_handle: started.claim_handle }, { baseUrl: emu.url });
    expect(pending.status).toBe('pending');

    emu.completeSignup(started.claim_handle);
    const ready = await claimSignup({ claim_handle: started.claim_handle }, { baseUrl: emu.url });
    expect(ready.status).toBe('ready');
    if (ready.status !== 'ready') throw new Error('unreachable');
    expect(ready.starter?.api_key?.api_key).toMatch(/^tk_test_/);
    expect(ready.starter?.api_key?.key_type).toBe('test');

    const again = await claimSignup({ claim_handle: started.claim_handle }, { baseUrl: emu.url }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(SignupError);
    expect(again).toBeInstanceOf(KnoxCallError);
    expect((again as SignupError).status).toBe(409);
    expect((again as SignupError).type).toBe('claim_already_collected');
    expect((again as SignupError).code).toBe('claim_already_collected');
    expect((again as SignupError).requestId).toBeUndefined();
    expect((again as SignupError).headers).toEqual({});
  });

  it('sends only the given members, as JSON, with no credential, idempotency key or version header', async () => {
    await signup({ email: 'b@example.com', tenant_name: 'B', full_name: undefined, region: 'eu' }, { baseUrl: emu.url });
    const [req] = emu.requests();
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe('/v1/signup');
    expect(JSON.parse(req?.body ?? '')).toEqual({ email: 'b@example.com', tenant_name: 'B', region: 'eu' });
    expect(req?.headers['content-type']).toBe('application/json');
    expect(req?.headers.accept).toBe('application/json');
    expect(req?.headers['user-agent']).toMatch(/^knoxcall-node\//);
    expect(req?.headers.authorization).toBeUndefined();
    expect(req?.headers['x-idempotency-key']).toBeUndefined();
    expect(req?.headers['knoxcall-version']).toBeUndefined();
  });

  it('an unknown claim handle is a SignupError with the server status and message', async () => {
    const err = await claimSignup({ claim_handle: 'sck_unknown' }, { baseUrl: emu.url }).catch((e: unknown) => e);
    expect(isKnoxCallError(err)).toBe(true);
    expect(err).toBeInstanceOf(SignupError);
    expect((err as SignupError).status).toBe(404);
    expect((err as SignupError).message).not.toBe('');
  });

  it('a validation failure is a SignupError with type validation_error', async () => {
    const err = await signup({ email: 'not-an-address', tenant_name: 'X' }, { baseUrl: emu.url }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SignupError);
    expect([400, 422]).toContain((err as SignupError).status);
    expect((err as SignupError).type).toBe('validation_error');
  });

  it('a non-JSON error body falls back to "Signup failed with status N" and does not retry', async () => {
    emu.script('POST', '/v1/signup', [{ rawBody: '<html>bad gateway</html>', status: 502 }]);
    const err = await signup({ email: 'c@example.com', tenant_name: 'C' }, { baseUrl: emu.url }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SignupError);
    expect((err as SignupError).message).toBe('Signup failed with status 502');
    expect((err as SignupError).type).toBeUndefined();
    expect(emu.requests().filter((r) => r.path === '/v1/signup')).toHaveLength(1);
  });

  it('a 2xx without data is a SignupError with no type', async () => {
    emu.script('POST', '/v1/signup/claim', [{ status: 200, body: { meta: {} } }]);
    const err = await claimSignup({ claim_handle: 'sck_x' }, { baseUrl: emu.url }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SignupError);
    expect((err as SignupError).message).toBe('Signup claim failed with status 200');
    expect((err as SignupError).status).toBe(200);
    expect((err as SignupError).type).toBeUndefined();
  });

  it('honours an AbortSignal', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await signup({ email: 'd@example.com', tenant_name: 'D' }, { baseUrl: emu.url, signal: controller.signal }).catch((e: unknown) => e);
    expect(isKnoxCallError(err)).toBe(true);
    expect((err as Error).name).toBe('APIUserAbortError');
  });
});
