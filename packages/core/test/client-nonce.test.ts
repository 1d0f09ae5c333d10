import { createHmac } from 'node:crypto';
import { type Emulator, startEmulator } from '@knoxcall/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KnoxCall } from '../src/index.js';
import { startUpstream, type Upstream } from './client-test-support.js';

// The transport's side of DPoP server nonces (auth §5.6, our choice): a resource 401 nonce
// challenge is re-sent once with a fresh proof, without purging the token and without
// consuming a retry attempt — on the management plane and on the data plane.
let emu: Emulator;
let upstream: Upstream;
beforeAll(async () => {
  upstream = await startUpstream();
  emu = await startEmulator({
    dpopNonces: true,
    seed: { routes: [{ name: 'Echo', slug: 'echo', target_base_url: upstream.url }] },
  });
});
afterAll(async () => {
  await emu.close();
  await upstream.close();
});
beforeEach(() => emu.clearRequests());

function dpopClient(): KnoxCall {
  return new KnoxCall({
    baseUrl: emu.url,
    clientId: emu.credentials.clientId,
    clientSecret: emu.credentials.clientSecret,
    dpop: 'always',
    retry: { maxAttempts: 1 },
  });
}
const tokenRequests = () => emu.requests().filter((r) => r.path === '/oauth/token' && r.method === 'POST');

describe('DPoP nonce challenges on resources', () => {
  it('management: a rotated nonce costs one re-send, no attempt and no re-mint', async () => {
    const client = dpopClient();
    await client.request({ method: 'GET', path: '/v1/routes' });
    const mints = tokenRequests().length;
    emu.rotateDpopNonce();
    emu.clearRequests();
    const page = await client.request<{ data: unknown[] }>({ method: 'GET', path: '/v1/routes' });
    expect(Array.isArray(page.data)).toBe(true);
    const sent = emu.requests().filter((r) => r.path === '/v1/routes');
    expect(sent).toHaveLength(2);
    expect(sent[0]!.headers.authorization).toMatch(/^DPoP /);
    expect(sent[1]!.headers.dpop).not.toBe(sent[0]!.headers.dpop);
    expect(tokenRequests()).toHaveLength(0);
    expect(mints).toBeGreaterThanOrEqual(1);
  });

  it('data plane: the same, on a gateway 401 nonce challenge', async () => {
    const client = dpopClient();
    await client.call('echo', { path: '/warm' });
    emu.rotateDpopNonce();
    emu.clearRequests();
    const response = await client.call('echo', { path: '/after-rotation' });
    expect(response.status).toBe(200);
    const proxied = emu.requests().filter((r) => r.path === '/after-rotation');
    expect(proxied).toHaveLength(2);
    expect(tokenRequests()).toHaveLength(0);
  });
});

describe('verifySignature (transport §1.3)', () => {
  it('checks the legacy hex HMAC synchronously, like verifyWebhookSignature', () => {
    const client = new KnoxCall({ apiKey: 'kc_x' });
    const rawBody = '{"type":"test"}';
    const secret = 'whsec_test';
    const signature = createHmac('sha256', secret).update(rawBody).digest('hex');
    expect(client.verifySignature({ rawBody, signature, secret })).toBe(true);
    expect(client.verifySignature({ rawBody: `${rawBody} `, signature, secret })).toBe(false);
    expect(client.withOptions({}).verifySignature({ rawBody, signature: `sha256=${signature}`, secret })).toBe(true);
  });
});
