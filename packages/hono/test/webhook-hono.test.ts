// Hono specifics of knoxWebhook, driven in-process with app.request() (a real Hono app; the
// same Request/Response path Workers, Bun and Deno use). The shared contract cases run over
// HTTP in contract.test.ts.
import type { KnoxWebhookError } from '@knoxcall/core/adapter';
import { MemoryReplayStore } from '@knoxcall/core/webhooks';
import { signWebhook } from '@knoxcall/testing/signer';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { getKnoxEvent, knoxOnError, knoxWebhook } from '../src/index.js';

const SECRET = 'whsec_hono_secret';
const URL_ = 'http://app.test/webhooks/knoxcall';

function prettyEnvelope(event = 'request.success', extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ event, timestamp: new Date().toISOString(), data: { route_id: 'r_1', note: 'pretty', ...extra } }, null, 2);
}

async function delivery(body: string, secret = SECRET): Promise<RequestInit> {
  return { method: 'POST', body, headers: { 'content-type': 'application/json', ...(await signWebhook({ body, secret, format: 'legacy' })) } };
}

/** The same delivery with the body as a stream: no Content-Length, read chunk by chunk. */
async function streamedDelivery(body: string, secret = SECRET): Promise<RequestInit> {
  const init = await delivery(body, secret);
  const bytes = new TextEncoder().encode(body);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 64) controller.enqueue(bytes.slice(i, i + 64));
      controller.close();
    },
  });
  return { ...init, body: stream, duplex: 'half' } as RequestInit;
}

describe('knoxWebhook on Hono: secrets from bindings', () => {
  type Bindings = { KNOXCALL_WEBHOOK_SECRET: string };
  const app = new Hono<{ Bindings: Bindings }>();
  app.post('/webhooks/knoxcall', knoxWebhook<{ Bindings: Bindings }>({ secret: (c) => c.env.KNOXCALL_WEBHOOK_SECRET }), (c) =>
    c.json({ event: c.var.knoxEvent.event }),
  );

  it('resolves the secret per request from c.env (Workers bindings)', async () => {
    const body = prettyEnvelope();
    const ok = await app.request(URL_, await delivery(body, 'whsec_env_a'), { KNOXCALL_WEBHOOK_SECRET: 'whsec_env_a' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ event: 'request.success' });
    // The same delivery against another deployment's binding is refused.
    const other = await app.request(URL_, await delivery(body, 'whsec_env_a'), { KNOXCALL_WEBHOOK_SECRET: 'whsec_env_b' });
    expect(other.status).toBe(401);
    expect(await other.json()).toEqual({ error: { type: 'signature_mismatch', message: expect.any(String) } });
  });

  it('a missing binding is a 500 configuration error, not a signature error', async () => {
    const body = prettyEnvelope();
    const res = await app.request(URL_, await delivery(body), {} as Bindings);
    expect(res.status).toBe(500);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe('invalid_configuration');
  });
});

describe('knoxWebhook on Hono: the body stays readable', () => {
  for (const [name, make] of [
    ['with Content-Length', delivery],
    ['streamed without Content-Length', streamedDelivery],
  ] as const) {
    it(`${name}: later handlers read the verified bytes with c.req.json(), text() and arrayBuffer()`, async () => {
      const app = new Hono();
      app.post('/webhooks/knoxcall', knoxWebhook({ secret: SECRET }), async (c) => {
        const json = (await c.req.json()) as { data: { note: string } };
        const text = await c.req.text();
        const bytes = new Uint8Array(await c.req.arrayBuffer());
        return c.json({ note: json.data.note, textLength: text.length, byteLength: bytes.byteLength, event: getKnoxEvent(c).event });
      });
      const body = prettyEnvelope('request.success', { text: 'naïve café ✓' });
      const res = await app.request(URL_, await make(body));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        note: 'pretty',
        textLength: body.length,
        byteLength: new TextEncoder().encode(body).byteLength,
        event: 'request.success',
      });
    });
  }

  it('verifies bytes an earlier middleware already read with c.req.json() or c.req.text()', async () => {
    for (const read of ['json', 'text', 'arrayBuffer'] as const) {
      const app = new Hono();
      app.use(async (c, next) => {
        await c.req[read]();
        await next();
      });
      app.post('/webhooks/knoxcall', knoxWebhook({ secret: SECRET, on: { '*': () => {} } }));
      const body = prettyEnvelope('request.success', { text: 'naïve café ✓' });
      const res = await app.request(URL_, await delivery(body));
      expect(res.status, read).toBe(200);
      expect(await res.json()).toEqual({ received: true });
    }
  });

  it('fails at once with raw_body_unavailable (500) naming the fix when the raw stream was consumed behind Hono', async () => {
    const app = new Hono();
    app.use(async (c, next) => {
      await c.req.raw.text();
      await next();
    });
    app.post('/webhooks/knoxcall', knoxWebhook({ secret: SECRET, on: { '*': () => {} } }));
    const res = await app.request(URL_, await delivery(prettyEnvelope()));
    expect(res.status).toBe(500);
    const { error } = (await res.json()) as { error: { type: string; message: string } };
    expect(error.type).toBe('raw_body_unavailable');
    expect(error.message).toContain('knoxWebhook() before');
  });

  it('refuses a body that only survives as parsed JSON (what older Hono releases cache for c.req.json())', async () => {
    const app = new Hono();
    app.use(async (c, next) => {
      // Older Hono kept the parsed object under bodyCache.json and consumed the stream.
      const parsed: unknown = await c.req.raw.json();
      (c.req.bodyCache as Record<string, unknown>).json = Promise.resolve(parsed);
      await next();
    });
    app.post('/webhooks/knoxcall', knoxWebhook({ secret: SECRET, on: { '*': () => {} } }));
    const res = await app.request(URL_, await delivery(prettyEnvelope()));
    expect(res.status).toBe(500);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe('raw_body_unavailable');
  });

  it('applies maxBodyBytes to a body an earlier middleware already read', async () => {
    const app = new Hono();
    app.use(async (c, next) => {
      await c.req.text();
      await next();
    });
    app.post('/webhooks/knoxcall', knoxWebhook({ secret: SECRET, maxBodyBytes: 64, on: { '*': () => {} } }));
    const { headers, body } = await streamedDelivery(prettyEnvelope());
    const res = await app.request(URL_, { method: 'POST', headers, body, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
  });

  it('enforces maxBodyBytes while reading a streamed body (413 before the rest is buffered)', async () => {
    const app = new Hono();
    app.post('/webhooks/knoxcall', knoxWebhook({ secret: SECRET, maxBodyBytes: 1024, on: { '*': () => {} } }));
    let pulled = 0;
    const chunk = new TextEncoder().encode('x'.repeat(256));
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(chunk);
      },
    });
    const res = await app.request(URL_, { method: 'POST', body: endless, headers: { 'content-type': 'application/json' }, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: { type: 'payload_too_large', message: expect.any(String) } });
    expect(res.headers.get('connection')).toBe('close');
    expect(pulled).toBeLessThan(16);
  });
});

describe('knoxWebhook on Hono: answers', () => {
  it('a typed on handler receives (event, c) and answers with the Response it returns', async () => {
    const app = new Hono();
    app.post(
      '/webhooks/knoxcall',
      knoxWebhook({
        secret: SECRET,
        on: { 'request.success': (event, c) => c.json({ route: event.data.route_id, path: c.req.path }, 202) },
      }),
    );
    const res = await app.request(URL_, await delivery(prettyEnvelope()));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ route: 'r_1', path: '/webhooks/knoxcall' });
  });

  it('handlers that return nothing get the 200 { received: true } answer; a throwing one 500 handler_failed', async () => {
    let fail = false;
    const app = new Hono();
    app.post(
      '/webhooks/knoxcall',
      knoxWebhook({
        secret: SECRET,
        on: {
          '*': () => {
            if (fail) throw new Error('db down');
          },
        },
      }),
    );
    expect(await (await app.request(URL_, await delivery(prettyEnvelope()))).json()).toEqual({ received: true });
    fail = true;
    const failed = await app.request(URL_, await delivery(prettyEnvelope()));
    expect(failed.status).toBe(500);
    expect(((await failed.json()) as { error: { type: string } }).error.type).toBe('handler_failed');
  });

  it('onError(error, c) may answer with its own Response; otherwise the default answer follows', async () => {
    const seen: string[] = [];
    const app = new Hono();
    app.post(
      '/webhooks/knoxcall',
      knoxWebhook({
        secret: SECRET,
        onError: (error, c) => {
          seen.push(error.code);
          if (error.code === 'signature_mismatch') return c.text('nope', 404);
          return undefined;
        },
      }),
      (c) => c.text('ok'),
    );
    const wrong = await app.request(URL_, await delivery(prettyEnvelope(), 'whsec_wrong'));
    expect(wrong.status).toBe(404);
    expect(await wrong.text()).toBe('nope');
    const unsigned = await app.request(URL_, { method: 'POST', body: prettyEnvelope(), headers: { 'content-type': 'application/json' } });
    expect(unsigned.status).toBe(400);
    expect(seen).toEqual(['signature_mismatch', 'missing_header']);
  });

  it('throws an HTTPException whose cause is the typed webhook error, for the app’s own onError', async () => {
    const app = new Hono();
    app.post('/webhooks/knoxcall', knoxWebhook({ secret: SECRET, on: { '*': () => {} } }));
    app.onError((err, c) => {
      if (err instanceof HTTPException) {
        const cause = err.cause as KnoxWebhookError;
        return c.json({ status: err.status, code: cause.code }, 418);
      }
      return c.text('other', 500);
    });
    const res = await app.request(URL_, await delivery(prettyEnvelope(), 'whsec_wrong'));
    expect(res.status).toBe(418);
    expect(await res.json()).toEqual({ status: 401, code: 'signature_mismatch' });
  });

  it('answers rejected deliveries through knoxOnError() and Hono’s default handler alike', async () => {
    for (const withHandler of [true, false]) {
      const app = new Hono();
      if (withHandler) app.onError(knoxOnError());
      app.post('/webhooks/knoxcall', knoxWebhook({ secret: SECRET, on: { '*': () => {} } }));
      const res = await app.request(URL_, { ...(await delivery(prettyEnvelope())), headers: { 'content-type': 'text/plain' } });
      expect(res.status).toBe(415);
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(await res.json()).toEqual({ error: { type: 'unsupported_media_type', message: expect.any(String) } });
    }
  });

  it('without `on`, releases the replay claim when the route handler fails, so the retry is processed', async () => {
    const replayStore = new MemoryReplayStore();
    let attempts = 0;
    const app = new Hono();
    app.onError((_err, c) => c.text('route handler failed', 500));
    app.post('/webhooks/knoxcall', knoxWebhook({ secret: SECRET, replayStore }), (c) => {
      attempts++;
      if (attempts === 1) throw new Error('database is down');
      if (attempts === 2) return c.json({ retry: true }, 503);
      return c.json({ ok: c.var.knoxEvent.event });
    });
    const init = await delivery(prettyEnvelope());
    expect((await app.request(URL_, init)).status).toBe(500);
    expect((await app.request(URL_, init)).status).toBe(503);
    const third = await app.request(URL_, init);
    expect(await third.json()).toEqual({ ok: 'request.success' });
    const replay = await app.request(URL_, init);
    expect(await replay.json()).toEqual({ received: true, duplicate: true });
    expect(attempts).toBe(3);
  });

  it('rejects bad options at setup, naming them', () => {
    expect(() => knoxWebhook({} as never)).toThrow(/`secret` is required/);
    expect(() => knoxWebhook({ secret: SECRET, on: { 'request.success': 'nope' as never } })).toThrow(/on\['request.success'\] must be a function/);
    expect(() => knoxWebhook({ secret: SECRET, onError: 42 as never })).toThrow(/`onError` must be a function/);
    expect(() => knoxWebhook({ secret: SECRET, maxBodyBytes: -1 })).toThrow(/maxBodyBytes/);
  });

  it('getKnoxEvent(c) names the fix when knoxWebhook did not run', async () => {
    const app = new Hono();
    app.get('/x', (c) => c.json({ event: getKnoxEvent(c).event }));
    app.onError((err, c) => c.text(err.message, 500));
    const res = await app.request('http://app.test/x');
    expect(await res.text()).toContain('knoxWebhook({ secret })');
  });
});
