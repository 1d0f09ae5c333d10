import { MemoryReplayStore } from '@knoxcall/core/webhooks';
import { signWebhook } from '@knoxcall/testing/signer';
import Fastify, { type FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { type KnoxWebhookOptions, getKnoxEvent, knoxErrorHandler, knoxWebhook } from '../src/index.js';

const SECRET = 'whsec_fastify_secret';
const PATH = '/webhooks/knoxcall';

function prettyEnvelope(event = 'request.success', data: unknown = { route_id: 'r_1', note: 'pretty' }): string {
  return JSON.stringify({ event, timestamp: new Date().toISOString(), data }, null, 2);
}

async function signed(body: string, secret = SECRET): Promise<Record<string, string>> {
  return { 'content-type': 'application/json', ...(await signWebhook({ body, secret, format: 'legacy' })) };
}

async function deliver(app: FastifyInstance, body = prettyEnvelope(), init: { secret?: string; headers?: Record<string, string>; url?: string } = {}) {
  const headers = { ...(await signed(body, init.secret)), ...init.headers };
  return app.inject({ method: 'POST', url: init.url ?? PATH, headers, payload: body });
}

async function webhookApp(options: Partial<KnoxWebhookOptions>, setup?: (app: FastifyInstance) => void): Promise<FastifyInstance> {
  const app = Fastify();
  setup?.(app);
  await app.register(knoxWebhook, { path: PATH, secret: SECRET, ...options } as KnoxWebhookOptions);
  return app;
}

describe('knoxWebhook: the app’s JSON parsing elsewhere is untouched', () => {
  it('other routes still parse JSON, and a __proto__ body still gets Fastify’s 400 there', async () => {
    const seen: unknown[] = [];
    const app = await webhookApp({ on: { '*': (event) => void seen.push(event.data) } }, (app) => {
      app.post('/other', async (request) => ({ body: request.body }));
    });
    const poisoned = '{ "a": 1, "__proto__": { "polluted": true } }';
    const other = await app.inject({ method: 'POST', url: '/other', headers: { 'content-type': 'application/json' }, payload: poisoned });
    expect(other.statusCode).toBe(400);
    expect(other.json().code).toBe('FST_ERR_CTP_INVALID_JSON_BODY');
    const plain = await app.inject({ method: 'POST', url: '/other', headers: { 'content-type': 'application/json' }, payload: '{ "a": 1 }' });
    expect(plain.json()).toEqual({ body: { a: 1 } });

    // The webhook route verifies the same kind of body over its exact bytes.
    const body = prettyEnvelope('request.success', { note: 'pretty' }).replace('"note"', '"__proto__": { "polluted": true },\n    "note"');
    const res = await deliver(app, body);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ received: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await app.close();
  });

  it('a parser the app added is not used by the webhook, and still works elsewhere', async () => {
    const app = await webhookApp({ on: { '*': () => {} } }, (app) => {
      app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, { reparsed: JSON.parse(body as string) }));
      app.post('/other', async (request) => request.body);
    });
    expect((await deliver(app)).statusCode).toBe(200);
    const other = await app.inject({ method: 'POST', url: '/other', headers: { 'content-type': 'application/json' }, payload: '{"x":1}' });
    expect(other.json()).toEqual({ reparsed: { x: 1 } });
    await app.close();
  });
});

describe('knoxWebhook: errors are Fastify errors', () => {
  it('with Fastify’s default error handler: { statusCode, code, error, message } with the contract’s code', async () => {
    const app = await webhookApp({ on: { '*': () => {} } });
    const res = await deliver(app, prettyEnvelope(), { secret: 'whsec_wrong' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ statusCode: 401, code: 'signature_mismatch', error: 'Unauthorized', message: expect.any(String) });
    expect(res.body).not.toContain(SECRET);
    await app.close();
  });

  it('the app’s own error handler applies and receives the typed error', async () => {
    const app = await webhookApp({ on: { '*': () => {} } }, (app) => {
      app.setErrorHandler((error: { statusCode?: number; code?: string; name?: string }, _request, reply) => {
        void reply.code(error.statusCode ?? 500).send({ mine: error.code, name: error.name });
      });
    });
    const res = await deliver(app, prettyEnvelope(), { secret: 'whsec_wrong' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ mine: 'signature_mismatch', name: 'WebhookSignatureVerificationError' });
    await app.close();
  });

  it('knoxErrorHandler() answers the contract’s { error: { type, message } }', async () => {
    const app = await webhookApp({ on: { '*': () => {} } }, (app) => app.setErrorHandler(knoxErrorHandler()));
    const res = await deliver(app, prettyEnvelope(), { secret: 'whsec_wrong' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: { type: 'signature_mismatch', message: expect.any(String) } });
    await app.close();
  });

  it('Fastify’s own 413 and 415 carry the contract’s codes', async () => {
    const ran: string[] = [];
    const app = await webhookApp({ maxBodyBytes: 1024, on: { '*': (e) => void ran.push(e.event) } });
    const big = prettyEnvelope('request.success', { filler: 'x'.repeat(2048) });
    const tooLarge = await deliver(app, big);
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().code).toBe('payload_too_large');
    expect(tooLarge.json().message).toContain('maxBodyBytes (1024 bytes)');
    // A malformed Content-Type is refused by Fastify before any parser runs.
    const malformed = await deliver(app, prettyEnvelope(), { headers: { 'content-type': 'application/' } });
    expect(malformed.statusCode).toBe(415);
    expect(malformed.json().code).toBe('unsupported_media_type');
    const form = await deliver(app, 'a=1', { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.statusCode).toBe(415);
    expect(form.json().code).toBe('unsupported_media_type');
    expect(ran).toEqual([]);
    await app.close();
  });

  it('a body shorter than its Content-Length → 400 invalid_payload', async () => {
    const app = await webhookApp({ on: { '*': () => {} } });
    const body = prettyEnvelope();
    const res = await deliver(app, body, { headers: { 'content-length': String(Buffer.byteLength(body) + 10) } });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('invalid_payload');
    await app.close();
  });

  it('a hook that replaced request.body fails at once with 500 raw_body_unavailable naming the fix', async () => {
    const ran: string[] = [];
    const app = await webhookApp({ on: { '*': (e) => void ran.push(e.event) } }, (app) => {
      app.addHook('preValidation', async (request) => {
        request.body = { reparsed: true };
      });
    });
    const res = await deliver(app);
    expect(res.statusCode).toBe(500);
    expect(res.json().code).toBe('raw_body_unavailable');
    expect(res.json().message).toContain('app.register(knoxWebhook');
    expect(ran).toEqual([]);
    await app.close();
  });

  it('onError sees every failure, Fastify’s own included, and may answer', async () => {
    const codes: string[] = [];
    const app = await webhookApp({
      maxBodyBytes: 1024,
      on: { '*': () => {} },
      onError: (error, _request, reply) => {
        codes.push(error.code);
        if (error.code === 'payload_too_large') void reply.code(413).send('too big, sorry');
      },
    });
    const tooLarge = await deliver(app, prettyEnvelope('request.success', { filler: 'x'.repeat(2048) }));
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.body).toBe('too big, sorry');
    const mismatch = await deliver(app, prettyEnvelope(), { secret: 'whsec_wrong' });
    expect(mismatch.statusCode).toBe(401);
    expect(mismatch.json().code).toBe('signature_mismatch');
    expect(codes).toEqual(['payload_too_large', 'signature_mismatch']);
    await app.close();
  });

  it('onError may answer a verification failure itself', async () => {
    const app = await webhookApp({
      on: { '*': () => {} },
      onError: (error, _request, reply) => reply.code(error.code === 'signature_mismatch' ? 403 : 500).send({ custom: error.code }),
    });
    const res = await deliver(app, prettyEnvelope(), { secret: 'whsec_wrong' });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ custom: 'signature_mismatch' });
    await app.close();
  });
});

describe('knoxWebhook: the route handler', () => {
  it('runs after the on handlers with request.knoxEvent set, and answers', async () => {
    const order: string[] = [];
    const app = await webhookApp({
      on: {
        'request.success': (event, request) => void order.push(`on:${event.event}:${request.knoxEvent?.event}`),
        '*': () => void order.push('*'),
      },
      handler: async (request, reply) => {
        order.push('handler');
        reply.code(202);
        return { handled: request.knoxEvent.event, viaAccessor: getKnoxEvent(request).data };
      },
    });
    const res = await deliver(app);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ handled: 'request.success', viaAccessor: { route_id: 'r_1', note: 'pretty' } });
    expect(order).toEqual(['on:request.success:request.success', '*', 'handler']);
    await app.close();
  });

  it('answers { received: true } when the handler answers nothing; reply.send() answers too', async () => {
    const quiet = await webhookApp({ handler: async () => undefined });
    expect((await deliver(quiet)).json()).toEqual({ received: true });
    await quiet.close();
    const sending = await webhookApp({ handler: (_request, reply) => reply.code(201).send({ sent: true }) });
    const res = await deliver(sending);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ sent: true });
    await sending.close();
  });

  it('its errors reach the app’s error handler unchanged and release the replay claim, so the retry is processed', async () => {
    const store = new MemoryReplayStore();
    let failuresLeft = 1;
    const onErrorCalls: string[] = [];
    const app = await webhookApp(
      {
        replayStore: store,
        onError: (error) => void onErrorCalls.push(error.code),
        handler: async () => {
          if (failuresLeft-- > 0) throw Object.assign(new Error('teapot'), { statusCode: 418, code: 'APP_TEAPOT' });
          return { ok: true };
        },
      },
      (app) =>
        app.setErrorHandler((error: { code?: string; statusCode?: number }, _request, reply) => reply.code(error.statusCode ?? 500).send({ mine: error.code })),
    );
    const body = prettyEnvelope();
    const headers = await signed(body);
    const first = await app.inject({ method: 'POST', url: PATH, headers, payload: body });
    expect(first.statusCode).toBe(418);
    expect(first.json()).toEqual({ mine: 'APP_TEAPOT' });
    const retry = await app.inject({ method: 'POST', url: PATH, headers, payload: body });
    expect(retry.json()).toEqual({ ok: true });
    const replay = await app.inject({ method: 'POST', url: PATH, headers, payload: body });
    expect(replay.json()).toEqual({ received: true, duplicate: true });
    expect(onErrorCalls).toEqual([]);
    await app.close();
  });

  it('a 5xx it answers without throwing also releases the replay claim', async () => {
    const store = new MemoryReplayStore();
    let failuresLeft = 1;
    const app = await webhookApp({
      replayStore: store,
      handler: async (_request, reply) => {
        if (failuresLeft-- > 0) return reply.code(503).send({ busy: true });
        return { ok: true };
      },
    });
    const body = prettyEnvelope();
    const headers = await signed(body);
    const first = await app.inject({ method: 'POST', url: PATH, headers, payload: body });
    expect(first.statusCode).toBe(503);
    expect(first.json()).toEqual({ busy: true });
    const retry = await app.inject({ method: 'POST', url: PATH, headers, payload: body });
    expect(retry.json()).toEqual({ ok: true });
    await app.close();
  });
});

describe('knoxWebhook: route options and setup', () => {
  it('honours register’s prefix and the method option', async () => {
    const app = Fastify();
    await app.register(knoxWebhook, { prefix: '/hooks', path: '/knox', method: 'PUT', secret: SECRET, on: { '*': () => {} } });
    const body = prettyEnvelope();
    const res = await app.inject({ method: 'PUT', url: '/hooks/knox', headers: await signed(body), payload: body });
    expect(res.json()).toEqual({ received: true });
    expect((await app.inject({ method: 'POST', url: '/hooks/knox', headers: await signed(body), payload: body })).statusCode).toBe(404);
    await app.close();
  });

  it('serves two webhooks with different secrets side by side', async () => {
    const app = Fastify();
    await app.register(knoxWebhook, { path: '/a', secret: 'whsec_a', on: { '*': () => {} } });
    await app.register(knoxWebhook, { path: '/b', secret: 'whsec_b', on: { '*': () => {} } });
    expect((await deliver(app, prettyEnvelope(), { url: '/a', secret: 'whsec_a' })).statusCode).toBe(200);
    expect((await deliver(app, prettyEnvelope(), { url: '/b', secret: 'whsec_b' })).statusCode).toBe(200);
    expect((await deliver(app, prettyEnvelope(), { url: '/b', secret: 'whsec_a' })).statusCode).toBe(401);
    await app.close();
  });

  it('refuses incomplete options when the plugin loads', async () => {
    const load = (options: unknown) =>
      Fastify()
        .register(knoxWebhook, options as KnoxWebhookOptions)
        .ready();
    await expect(load({ secret: SECRET, on: { '*': () => {} } })).rejects.toThrow(/`path` is required/);
    await expect(load({ path: PATH, secret: SECRET })).rejects.toThrow(/`on` handlers .* `handler/);
    await expect(load({ path: PATH, on: { '*': () => {} } })).rejects.toThrow(/`secret` is required/);
    await expect(load({ path: PATH, secret: SECRET, handler: 'nope' })).rejects.toThrow(/`handler` must be a function/);
    await expect(load({ path: PATH, secret: SECRET, on: { 'request.success': 'nope' } })).rejects.toThrow(/on\['request.success'\] must be a function/);
    await expect(load({ path: PATH, secret: SECRET, on: { 'request.success': undefined } })).rejects.toThrow(/`on` handlers .* `handler/);
  });

  it('getKnoxEvent(request) outside a webhook route names the fix', async () => {
    const app = Fastify();
    app.get('/plain', async (request) => getKnoxEvent(request));
    const res = await app.inject('/plain');
    expect(res.statusCode).toBe(500);
    expect(res.json().message).toContain('app.register(knoxWebhook');
    await app.close();
  });
});
