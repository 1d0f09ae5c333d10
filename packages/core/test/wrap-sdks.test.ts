import { type Emulator, startEmulator } from '@knoxcall/testing';
import OpenAI from 'openai';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_ROUTE_AROUND, KnoxCall, type KnoxCallOptions } from '../src/index.js';
import { clientWithEnv, startUpstream, type Upstream } from './client-test-support.js';

// The real provider SDKs (stripe, openai) with wrap.fetch() as their fetch, each pointed at a
// local fake of the provider's API through the SDK's own host / baseURL option. The provider
// key lives only in KnoxCall (a seeded route secret, or an escrowed credential); the SDKs
// are constructed with placeholders.

const STRIPE_KEY_IN_KNOXCALL = 'sk_test_only_knoxcall_has_this';
const OPENAI_KEY_IN_KNOXCALL = 'sk-proj-only-knoxcall-has-this';

interface FakeProvider {
  url: string;
  host: string;
  port: number;
  seen: Upstream['requests'];
  close(): Promise<void>;
}

/** A provider API on 127.0.0.1 answering `paths` (by method) with JSON and recording every request. */
async function startFake(paths: Record<string, (method: string) => unknown>): Promise<FakeProvider> {
  const upstream = await startUpstream();
  for (const [path, answer] of Object.entries(paths)) {
    upstream.handle(path, (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_fake' });
      res.end(JSON.stringify(answer(req.method ?? 'GET')));
    });
  }
  const { host, port } = new URL(upstream.url);
  return { url: upstream.url, host, port: Number(port), seen: upstream.requests, close: upstream.close };
}

const stripePaths = {
  '/v1/charges': () => ({ object: 'list', data: [{ id: 'ch_1', object: 'charge', amount: 500 }], has_more: false, url: '/v1/charges' }),
  '/v1/customers': () => ({ id: 'cus_1', object: 'customer', email: 'a@example.com' }),
  '/v1/tokens': () => ({ id: 'tok_1', object: 'token' }),
};

const openaiAnswer = (): unknown => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-test',
  choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'hello from the fake' } }],
});

let emu: Emulator;
let stripeApi: FakeProvider;
let openaiApi: FakeProvider;
beforeAll(async () => {
  stripeApi = await startFake(stripePaths);
  openaiApi = await startFake({ '/v1/chat/completions': openaiAnswer });
  emu = await startEmulator({
    seed: {
      secrets: [{ name: 'stripe-secret-key', value: STRIPE_KEY_IN_KNOXCALL }],
      routes: [
        {
          name: 'Stripe',
          slug: 'stripe',
          target_base_url: stripeApi.url,
          intercept_enabled: true,
          inject_headers_json: { Authorization: 'Bearer {{secret:stripe-secret-key}}' },
        },
      ],
    },
  });
});
afterAll(async () => {
  await emu.close();
  await stripeApi.close();
  await openaiApi.close();
});
beforeEach(() => {
  emu.reset();
  emu.clearRequests();
  stripeApi.seen.length = 0;
  openaiApi.seen.length = 0;
});

const knoxOptions = (): KnoxCallOptions => ({ baseUrl: emu.url, apiKey: emu.credentials.apiKey, retry: { maxAttempts: 1 } });

function stripeThrough(fetchFn: typeof fetch): Stripe {
  return new Stripe('sk_test_placeholder_the_app_holds', {
    httpClient: Stripe.createFetchHttpClient(fetchFn),
    host: '127.0.0.1',
    port: stripeApi.port,
    protocol: 'http',
    maxNetworkRetries: 0,
    telemetry: false,
  });
}

describe('stripe through Stripe.createFetchHttpClient(wrap.fetch())', () => {
  it('reaches the provider through the intercept-enabled route with the key KnoxCall injected', async () => {
    const knox = new KnoxCall(knoxOptions());
    const wrapped = knox.wrap.fetch({ routes: 'auto' });
    await wrapped.ready;
    const stripe = stripeThrough(wrapped);
    const charges = await stripe.charges.list({ limit: 3 });
    expect(charges.data.map((c) => c.id)).toEqual(['ch_1']);
    const customer = await stripe.customers.create({ email: 'a@example.com' });
    expect(customer.id).toBe('cus_1');

    expect(stripeApi.seen.map((s) => `${s.method} ${s.url}`)).toEqual(['GET /v1/charges?limit=3', 'POST /v1/customers']);
    for (const s of stripeApi.seen) expect(s.headers.authorization).toBe(`Bearer ${STRIPE_KEY_IN_KNOXCALL}`);
    expect(stripeApi.seen[1]!.body).toBe('email=a%40example.com');
    expect(stripeApi.seen[1]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const viaRoute = emu.requests().filter((r) => r.headers['x-knoxcall-route'] === 'stripe');
    expect(viaRoute).toHaveLength(2);
    // The placeholder the app holds never reaches KnoxCall or the provider.
    expect(JSON.stringify(emu.requests())).not.toContain('sk_test_placeholder_the_app_holds');
    wrapped.stop();
  });

  it('/v1/tokens goes straight to the provider under the default route-around paths', async () => {
    const knox = new KnoxCall(knoxOptions());
    // DEFAULT_ROUTE_AROUND names api.stripe.com; the fake listens elsewhere, so the same rules are aimed at it.
    const wrapped = knox.wrap.fetch({
      routes: 'auto',
      disableDefaultRouteAround: true,
      routeAround: DEFAULT_ROUTE_AROUND.map((rule) => ({ ...rule, host: stripeApi.host })),
    });
    await wrapped.ready;
    const token = await stripeThrough(wrapped).tokens.create({ card: 'tok_visa' } as Stripe.TokenCreateParams);
    expect(token.id).toBe('tok_1');
    expect(stripeApi.seen).toHaveLength(1);
    expect(stripeApi.seen[0]!.headers.authorization).toBe('Bearer sk_test_placeholder_the_app_holds');
    expect(emu.requests().filter((r) => r.path !== '/v1/wrap/intercept-manifest')).toHaveLength(0);
    wrapped.stop();
  });

  it('the kill switch KNOXCALL_INTERCEPT=off sends everything direct', async () => {
    const { client: knox } = clientWithEnv(knoxOptions(), { KNOXCALL_INTERCEPT: 'off' });
    const wrapped = knox.wrap.fetch({ routes: 'auto' });
    await wrapped.ready;
    await stripeThrough(wrapped).charges.list({ limit: 1 });
    expect(stripeApi.seen[0]!.headers.authorization).toBe('Bearer sk_test_placeholder_the_app_holds');
    expect(emu.requests().filter((r) => r.path === '/v1/proxy' || r.headers['x-knoxcall-route'] !== undefined)).toHaveLength(0);
    wrapped.stop();
  });
});

describe('openai through its fetch option', () => {
  it('escrow mode: the provider sees the escrowed key; the SDK held a placeholder', async () => {
    // An operator escrows the key once (here through a separate client); the app only names it.
    const operator = new KnoxCall(knoxOptions());
    await operator.wrap.escrow({ provider: 'openai', name: 'openai-prod', value: OPENAI_KEY_IN_KNOXCALL, hosts: [openaiApi.host] });

    const knox = new KnoxCall(knoxOptions());
    const openai = new OpenAI({
      apiKey: 'unused',
      baseURL: `${openaiApi.url}/v1`,
      fetch: knox.wrap.fetch({ credential: { secret: 'openai-prod' } }),
      maxRetries: 0,
    });
    const completion = await openai.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0]!.message.content).toBe('hello from the fake');

    expect(openaiApi.seen).toHaveLength(1);
    expect(openaiApi.seen[0]).toMatchObject({ method: 'POST', url: '/v1/chat/completions' });
    expect(openaiApi.seen[0]!.headers.authorization).toBe(`Bearer ${OPENAI_KEY_IN_KNOXCALL}`);
    expect(JSON.parse(openaiApi.seen[0]!.body)).toEqual({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] });
    const proxied = emu.requests().filter((r) => r.path === '/v1/proxy');
    expect(proxied).toHaveLength(1);
    expect(JSON.stringify(proxied[0]!.headers)).not.toContain('unused');
  });
});
