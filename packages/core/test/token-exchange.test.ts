import { type Emulator, startEmulator } from '@knoxcall/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AIGatewayError, APIConnectionError, APIUserAbortError, BootstrapError, TokenExchangeError } from '../src/errors.js';
import { KnoxCall } from '../src/index.js';
import { ID_TOKEN_TYPE, KNOXCALL_AUDIENCE, TOKEN_EXCHANGE_GRANT, exchangeToken } from '../src/token-exchange/index.js';

/** A fresh ID token signed by the emulator's GitHub Actions test issuer (verified against its JWKS). */
function idToken(claims: Record<string, unknown> = {}): string {
  return emu.mintSubjectToken({ platform: 'github-actions', audience: 'knoxcall:gateway', claims });
}

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.reset();
  emu.clearRequests();
});

const exchanges = () => emu.requests().filter((r) => r.path === '/v1/oauth/token');

describe('exchangeToken against the emulator data plane (auth.md §8.2)', () => {
  it('posts the JSON token-exchange body with no credential, key or version header, and returns the bare body', async () => {
    const subject = idToken();
    const result = await exchangeToken({ subject_token: subject }, { baseUrl: `${emu.url}/` });
    expect(result).toEqual({
      access_token: expect.any(String),
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      token_type: 'Bearer',
      expires_in: 900,
      scope: expect.any(String),
    });
    expect(result).not.toHaveProperty('data');
    const [request] = exchanges();
    expect(exchanges()).toHaveLength(1);
    expect(request!.method).toBe('POST');
    expect(JSON.parse(request!.body)).toEqual({
      grant_type: TOKEN_EXCHANGE_GRANT,
      subject_token: subject,
      subject_token_type: ID_TOKEN_TYPE,
      audience: KNOXCALL_AUDIENCE,
    });
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers.accept).toBe('application/json');
    for (const absent of ['authorization', 'x-idempotency-key', 'knoxcall-version', 'dpop']) expect(request!.headers).not.toHaveProperty(absent);
  });

  it('sends resource when given — "" included — and the server refuses "" with invalid_target', async () => {
    const error = await exchangeToken({ subject_token: idToken(), resource: '' }, { baseUrl: emu.url }).catch((e: unknown) => e);
    expect(JSON.parse(exchanges()[0]!.body)).toHaveProperty('resource', '');
    expect(error).toBeInstanceOf(TokenExchangeError);
    expect(error).toMatchObject({ status: 400, type: 'invalid_target', code: 'invalid_target' });
  });

  it('a resource naming an MCP server mints a tool-kind token; the gateway-level list sees it', async () => {
    const client = new KnoxCall({ baseUrl: emu.url, apiKey: emu.credentials.apiKey });
    const gw = await client.aiGateway.createGateway({ name: 'G', slug: 'g' });
    const server = await client.aiGateway.createMcpServer(gw.id, { name: 'T', slug: 'tickets', upstream_url: 'https://mcp.example/mcp' });
    const minted = await exchangeToken({ subject_token: idToken(), resource: server.resource }, { baseUrl: emu.url });
    expect(JSON.parse(minted.scope)).toMatchObject({ kind: 'tool' });
    const tokens = await client.aiGateway.listGatewayTokens(gw.id);
    expect(tokens.data).toEqual([expect.objectContaining({ kind: 'tool', agent_id: null })]);
  });

  it('an invalid subject token is a TokenExchangeError invalid_grant, not retried', async () => {
    const error = await exchangeToken({ subject_token: 'not-a-jwt' }, { baseUrl: emu.url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenExchangeError);
    expect(error).toMatchObject({ status: 400, type: 'invalid_grant', message: 'subject_token is not a JWT' });
    expect((error as TokenExchangeError).body).toEqual({ error: 'invalid_grant', error_description: 'subject_token is not a JWT' });
    expect((error as TokenExchangeError).requestId).toMatch(/^req_/);
    expect(exchanges()).toHaveLength(1);
  });

  it('a subject token is single-use on the data plane: the replay is invalid_grant "already been exchanged"', async () => {
    const subject = idToken();
    await exchangeToken({ subject_token: subject }, { baseUrl: emu.url });
    const replay = await exchangeToken({ subject_token: subject }, { baseUrl: emu.url }).catch((e: unknown) => e);
    expect(replay).toBeInstanceOf(TokenExchangeError);
    expect(replay).toMatchObject({ status: 400, type: 'invalid_grant', message: 'subject_token has already been exchanged' });
  });

  it('a forged or expired subject token is refused (verified against the issuer JWKS)', async () => {
    const [h, , sig] = idToken().split('.');
    const [, payload] = idToken({ sub: 'repo:evil/app' }).split('.');
    await expect(exchangeToken({ subject_token: `${h}.${payload}.${sig}` }, { baseUrl: emu.url })).rejects.toMatchObject({
      type: 'invalid_grant',
      message: expect.stringContaining('signature'),
    });
    const expired = emu.mintSubjectToken({ audience: 'knoxcall:gateway', expiresInSeconds: -5 });
    await expect(exchangeToken({ subject_token: expired }, { baseUrl: emu.url })).rejects.toMatchObject({
      type: 'invalid_grant',
      message: 'subject_token has expired',
    });
  });

  it('a 200 without access_token is token_exchange_failed', async () => {
    emu.script('POST', '/v1/oauth/token', [{ status: 200, body: { token_type: 'Bearer' } }]);
    const error = await exchangeToken({ subject_token: idToken() }, { baseUrl: emu.url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenExchangeError);
    expect(error).toMatchObject({ status: 200, type: 'token_exchange_failed', message: 'Token exchange failed with status 200' });
  });

  it('a non-JSON 502 page keeps its status and is not retried', async () => {
    emu.script('POST', '/v1/oauth/token', [{ status: 502, rawBody: '<html>Bad gateway</html>', headers: { 'content-type': 'text/html' } }]);
    const error = await exchangeToken({ subject_token: idToken() }, { baseUrl: emu.url }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TokenExchangeError', status: 502, type: 'token_exchange_failed', body: '<html>Bad gateway</html>' });
    expect(exchanges()).toHaveLength(1);
  });

  it('the AI data-plane envelope becomes an AIGatewayError (e.g. 503 ai_gateway_unavailable + Retry-After)', async () => {
    emu.script('POST', '/v1/oauth/token', [
      {
        status: 503,
        headers: { 'retry-after': '7' },
        body: { error: 'ai_gateway_unavailable', code: 'ai_gateway_unavailable', error_description: 'The AI gateway is starting' },
      },
    ]);
    const error = await exchangeToken({ subject_token: idToken() }, { baseUrl: emu.url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AIGatewayError);
    expect(error).toMatchObject({ status: 503, code: 'ai_gateway_unavailable', retryAfter: 7, message: 'The AI gateway is starting' });
  });

  it('a refused connection is an APIConnectionError (no retry: the subject token may be single-use)', async () => {
    await expect(exchangeToken({ subject_token: idToken() }, { baseUrl: 'http://127.0.0.1:9' })).rejects.toBeInstanceOf(APIConnectionError);
  });

  it('an aborted signal rejects with APIUserAbortError', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(exchangeToken({ subject_token: idToken() }, { baseUrl: emu.url, signal: controller.signal })).rejects.toBeInstanceOf(APIUserAbortError);
  });
});

/**
 * Tenant-derived origins are cloud hostnames (acme.knoxcall.com) that cannot exist here, so
 * these cases inject a `fetch` that records the URL it was asked for and answers locally —
 * the one place this suite does not talk to a real server.
 */
describe('exchangeToken origin and input validation (no network)', () => {
  function recordingFetch() {
    const urls: string[] = [];
    const fetchImpl = vi.fn(async (input: string | URL | Request) => {
      urls.push(String(input));
      return new Response(
        JSON.stringify({
          access_token: 'kcg_x',
          issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
          token_type: 'Bearer',
          expires_in: 900,
          scope: '{}',
        }),
        {
          status: 200,
          headers: { 'content-type': 'application/json' },
        },
      );
    });
    return { urls, fetch: fetchImpl as unknown as typeof fetch, calls: fetchImpl };
  }

  it('tenant acme → https://acme.knoxcall.com; sandbox → https://sandbox-acme.knoxcall.com', async () => {
    const rec = recordingFetch();
    await exchangeToken({ subject_token: 't' }, { tenant: 'acme', fetch: rec.fetch });
    await exchangeToken({ subject_token: 't' }, { tenant: 'acme', sandbox: true, fetch: rec.fetch });
    expect(rec.urls).toEqual(['https://acme.knoxcall.com/v1/oauth/token', 'https://sandbox-acme.knoxcall.com/v1/oauth/token']);
  });

  it('an explicit baseUrl wins over tenant, trailing slash stripped', async () => {
    const rec = recordingFetch();
    await exchangeToken({ subject_token: 't' }, { tenant: 'acme', baseUrl: 'https://gw.example.test///', fetch: rec.fetch });
    expect(rec.urls).toEqual(['https://gw.example.test/v1/oauth/token']);
  });

  it('no tenant and no baseUrl → BootstrapError naming the fix, no request', async () => {
    const rec = recordingFetch();
    const error = await exchangeToken({ subject_token: 't' }, { fetch: rec.fetch }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BootstrapError);
    expect((error as Error).message).toContain('tenant');
    expect((error as Error).message).toContain('api.knoxcall.com');
    expect(rec.calls).not.toHaveBeenCalled();
  });

  it.each(['evil.com#', 'a b', 'a/b', '-lead', 'trail-', ''])('tenant %j → BootstrapError, no request', async (tenant) => {
    const rec = recordingFetch();
    await expect(exchangeToken({ subject_token: 't' }, { tenant, fetch: rec.fetch })).rejects.toBeInstanceOf(BootstrapError);
    expect(rec.calls).not.toHaveBeenCalled();
  });

  it('an empty subject token or an unusable baseUrl → BootstrapError, no request', async () => {
    const rec = recordingFetch();
    await expect(exchangeToken({ subject_token: '' }, { tenant: 'acme', fetch: rec.fetch })).rejects.toBeInstanceOf(BootstrapError);
    await expect(exchangeToken({ subject_token: 't' }, { baseUrl: 'ftp://x.example', fetch: rec.fetch })).rejects.toBeInstanceOf(BootstrapError);
    expect(rec.calls).not.toHaveBeenCalled();
  });

  it('http:// to a non-loopback host warns about plaintext HTTP; https and loopback stay silent', async () => {
    const rec = recordingFetch();
    const warnings: string[] = [];
    const warn = (m: string) => warnings.push(m);
    await exchangeToken({ subject_token: 'eyJ.subject-secret.sig' }, { baseUrl: 'http://evil.example', fetch: rec.fetch, warn });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('plaintext HTTP');
    expect(warnings[0]).not.toContain('subject-secret');
    for (const quiet of ['https://acme.example', 'http://localhost:3000', 'http://127.0.0.1:9', 'http://foo.localhost']) {
      await exchangeToken({ subject_token: 't' }, { baseUrl: quiet, fetch: rec.fetch, warn });
    }
    expect(warnings).toHaveLength(1);
    await exchangeToken({ subject_token: 't' }, { baseUrl: 'http://10.0.0.5:3000', fetch: rec.fetch, warn });
    expect(warnings).toHaveLength(2);
  });

  it('without a warn option it writes the warning once through console.warn', async () => {
    const rec = recordingFetch();
    const spy = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await exchangeToken({ subject_token: 't' }, { baseUrl: 'http://evil.example', fetch: rec.fetch });
      await exchangeToken({ subject_token: 't' }, { baseUrl: 'http://evil.example', fetch: rec.fetch });
      expect(spy).toHaveBeenCalledTimes(1);
      expect(String(spy.mock.calls[0]?.[0])).toContain('plaintext HTTP');
    } finally {
      spy.mockRestore();
    }
  });

  it('does not follow redirects (the subject token would be re-posted elsewhere)', async () => {
    const rec = recordingFetch();
    await exchangeToken({ subject_token: 't' }, { tenant: 'acme', fetch: rec.fetch });
    const init = rec.calls.mock.calls[0] as unknown as [string, RequestInit];
    expect(init[1].redirect).toBe('manual');
  });
});
