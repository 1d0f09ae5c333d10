import type { RequestWebhookEvent } from '@knoxcall/core/webhooks';
import { MemoryReplayStore } from '@knoxcall/core/webhooks';
import { gzipSync } from 'node:zlib';
import { deliverWebhook } from '@knoxcall/testing';
import { signWebhook } from '@knoxcall/testing/signer';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpCode, HttpException, Injectable, Module, Post } from '@nestjs/common';
import { Controller } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { KnoxCallModule, KnoxEvent, KnoxWebhook, KnoxWebhookException, type KnoxWebhookEvent, OnKnoxEvent } from '../src/index.js';
import { PLATFORMS, startNestApp } from './nest-app.js';

const MODULE_SECRET = 'whsec_module_default';
const ROUTE_SECRET = 'whsec_route_override';
const CLIENT = { clientOptions: { baseUrl: 'http://127.0.0.1:9', apiKey: 'kc_test_unused_key' } };

const ran: string[] = [];

@Controller('hooks')
class HooksController {
  @Post('default')
  @HttpCode(200)
  @KnoxWebhook()
  receiveDefault(@KnoxEvent() event: KnoxWebhookEvent): unknown {
    ran.push(`default:${event.event}`);
    return { event: event.event, data: event.data };
  }

  @Post('override')
  @HttpCode(200)
  @KnoxWebhook({ secret: ROUTE_SECRET, format: 'stripe' })
  receiveOverride(@KnoxEvent() event: KnoxWebhookEvent): unknown {
    ran.push(`override:${event.event}`);
    return { event: event.event };
  }
}

const hooksModule = () => ({
  imports: [KnoxCallModule.forRoot({ ...CLIENT, webhooks: { secret: MODULE_SECRET } })],
  controllers: [HooksController],
});

const send = (url: string, secret: string, format: 'legacy' | 'stripe' = 'legacy', event = 'request.success') =>
  deliverWebhook(url, { event: { event, data: { route_id: 'r_nest', note: 'pretty' } }, secret, format });

for (const platform of PLATFORMS) {
  describe(`@KnoxWebhook on ${platform}`, () => {
    it("verifies req.rawBody from { rawBody: true }, hands @KnoxEvent() the event, and takes the handler's own options over the module's", async () => {
      const app = await startNestApp(platform, hooksModule(), { rawBody: true });
      try {
        const viaDefault = await send(`${app.url}/hooks/default`, MODULE_SECRET);
        expect(viaDefault.status).toBe(200);
        expect(viaDefault.body).toEqual({ event: 'request.success', data: { route_id: 'r_nest', note: 'pretty' } });
        const viaOverride = await send(`${app.url}/hooks/override`, ROUTE_SECRET, 'stripe');
        expect(viaOverride.status).toBe(200);
        const wrongForRoute = await send(`${app.url}/hooks/override`, MODULE_SECRET, 'stripe');
        expect(wrongForRoute.status).toBe(401);
        expect(wrongForRoute.body).toEqual({ error: { type: 'signature_mismatch', message: expect.any(String) } });
      } finally {
        await app.close();
      }
    });

    it('without rawBody fails at once with 500 raw_body_unavailable naming the fix, and never runs the handler', async () => {
      const app = await startNestApp(platform, hooksModule(), { rawBody: false });
      ran.length = 0;
      try {
        const result = await send(`${app.url}/hooks/default`, MODULE_SECRET);
        expect(result.status).toBe(500);
        const error = (result.body as { error: { type: string; message: string } }).error;
        expect(error.type).toBe('raw_body_unavailable');
        expect(error.message).toContain('NestFactory.create(AppModule, { rawBody: true })');
        expect(error.message).toContain('createNestApplication({ rawBody: true })');
        expect(ran).toEqual([]);
      } finally {
        await app.close();
      }
    });

    it('rejections are HttpExceptions that a global exception filter sees', async () => {
      const caught: unknown[] = [];
      @Catch()
      class RecordingFilter implements ExceptionFilter {
        catch(exception: unknown, host: ArgumentsHost): void {
          caught.push(exception);
          const status = exception instanceof HttpException ? exception.getStatus() : 500;
          const reply = host.switchToHttp().getResponse();
          const body = { wrapped: exception instanceof HttpException ? exception.getResponse() : null };
          // Express response or Fastify reply: both have status(); send() vs json() differ.
          if (typeof reply.json === 'function') reply.status(status).json(body);
          else reply.status(status).send(body);
        }
      }
      const app = await startNestApp(platform, { ...hooksModule(), providers: [{ provide: APP_FILTER, useClass: RecordingFilter }] });
      try {
        const result = await send(`${app.url}/hooks/default`, 'whsec_wrong');
        expect(result.status).toBe(401);
        expect(result.body).toEqual({ wrapped: { error: { type: 'signature_mismatch', message: expect.any(String) } } });
        expect(caught).toHaveLength(1);
        expect(caught[0]).toBeInstanceOf(KnoxWebhookException);
        expect((caught[0] as KnoxWebhookException).code).toBe('signature_mismatch');
      } finally {
        await app.close();
      }
    });
  });
}

describe('large deliveries on Express with { rawBody: true }', () => {
  it("need Nest's 100 kB JSON limit raised with app.useBodyParser('json', { limit }), which keeps the raw body", async () => {
    const big = { filler: 'x'.repeat(300 * 1024) };
    const deliver = (url: string) =>
      deliverWebhook(`${url}/hooks/default`, { event: { event: 'request.success', data: big }, secret: MODULE_SECRET, format: 'legacy' });
    const byDefault = await startNestApp('express', hooksModule(), { rawBody: true });
    try {
      expect((await deliver(byDefault.url)).status).toBe(413); // Nest's parser, before the guard
    } finally {
      await byDefault.close();
    }
    const raised = await startNestApp('express', hooksModule(), {
      rawBody: true,
      beforeListen: (app) => void (app as NestExpressApplication).useBodyParser('json', { limit: '1mb' }),
    });
    try {
      const result = await deliver(raised.url);
      expect(result.status).toBe(200);
      expect((result.body as { data: typeof big }).data.filler).toHaveLength(300 * 1024);
    } finally {
      await raised.close();
    }
  });
});

// Express only: its parser inflates gzip, so the guard saw valid JSON and accepted it. On the
// Fastify platform Fastify's own JSON parser refuses the compressed bytes (400) before any
// guard runs; useKnoxWebhookBody() gives 415 there (the adapter contract covers that).
{
  const platform = 'express';
  describe(`encoded deliveries with { rawBody: true } on ${platform}`, () => {
    it("are refused 415 like in every adapter, even though Nest's parser inflates gzip", async () => {
      const app = await startNestApp(platform, hooksModule(), { rawBody: true });
      const ranBefore = ran.length;
      try {
        const body = JSON.stringify({ event: 'request.success', timestamp: new Date().toISOString(), data: {} }, null, 2);
        // signed over the JSON: what Nest's inflating parser hands the guard would verify
        const headers = {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
          ...(await signWebhook({ body, secret: MODULE_SECRET, format: 'legacy' })),
        };
        const answer = await fetch(`${app.url}/hooks/default`, { method: 'POST', body: new Uint8Array(gzipSync(body)), headers });
        expect(answer.status).toBe(415);
        expect(((await answer.json()) as { error: { type: string } }).error.type).toBe('unsupported_media_type');
        expect(ran.length).toBe(ranBefore);
      } finally {
        await app.close();
      }
    });
  });
}

describe('@KnoxWebhook with a replayStore on a route you wrote', () => {
  it('answers a replay 200 { received: true, duplicate: true } without running the handler, and a 5xx from the handler releases the claim', async () => {
    let failNext = true;
    const handled: string[] = [];
    @Controller()
    class ReplayController {
      @Post('hook')
      @HttpCode(200)
      @KnoxWebhook({ replayStore: new MemoryReplayStore() })
      receive(@KnoxEvent() event: KnoxWebhookEvent): unknown {
        handled.push(event.timestamp);
        if (failNext) {
          failNext = false;
          throw new Error('database down');
        }
        return { ok: true };
      }
    }
    const app = await startNestApp('express', {
      imports: [KnoxCallModule.forRoot({ ...CLIENT, webhooks: { secret: MODULE_SECRET } })],
      controllers: [ReplayController],
    });
    try {
      const body = JSON.stringify({ event: 'request.success', timestamp: new Date().toISOString(), data: {} }, null, 2);
      const post = () => deliverWebhook(`${app.url}/hook`, { body, secret: MODULE_SECRET, format: 'legacy' });
      expect((await post()).status).toBe(500);
      const retry = await post();
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual({ ok: true });
      const replay = await post();
      expect(replay.status).toBe(200);
      expect(replay.body).toEqual({ received: true, duplicate: true });
      expect(handled).toHaveLength(2);
    } finally {
      await app.close();
    }
  });
});

describe('@KnoxWebhook setup errors', () => {
  it('fails at boot when no secret is configured anywhere', async () => {
    @Controller()
    class NoSecretController {
      @Post('hook')
      @KnoxWebhook()
      receive(): void {}
    }
    await expect(Test.createTestingModule({ imports: [KnoxCallModule.forRoot(CLIENT)], controllers: [NoSecretController] }).compile()).rejects.toThrow(
      /no webhook `secret`/,
    );
  });
});

describe('@OnKnoxEvent handlers discovered and fed by the module controller at webhookPath', () => {
  const calls: string[] = [];

  @Injectable()
  class AlertsService {
    @OnKnoxEvent('request.server_error')
    async page(event: RequestWebhookEvent<'request.server_error'>): Promise<void> {
      // Typed: the route name and response status of a server error.
      calls.push(`page:${event.data.route_name}:${event.data.response.status}`);
    }

    @OnKnoxEvent('audit.event')
    @OnKnoxEvent('webhook.test')
    other(event: KnoxWebhookEvent): void {
      calls.push(`other:${event.event}`);
    }
  }

  @Injectable()
  class AuditLog {
    @OnKnoxEvent('request.server_error')
    record(event: RequestWebhookEvent<'request.server_error'>): void {
      calls.push(`record:${event.data.route_id}`);
    }

    @OnKnoxEvent('*')
    everything(event: KnoxWebhookEvent): void {
      calls.push(`all:${event.event}`);
    }
  }

  @Module({ providers: [AlertsService] })
  class AlertsModule {}

  const SECRET_TOKEN = 'webhook-secret';
  @Module({ providers: [{ provide: SECRET_TOKEN, useValue: 'whsec_async_secret' }], exports: [SECRET_TOKEN] })
  class SecretsModule {}

  for (const platform of PLATFORMS) {
    it(`${platform}: runs every handler of the type, then '*', with typed events; the secret comes from forRootAsync`, async () => {
      const app = await startNestApp(
        platform,
        {
          imports: [
            KnoxCallModule.forRootAsync({
              imports: [SecretsModule],
              inject: [SECRET_TOKEN],
              useFactory: async (secret: string) => ({ ...CLIENT, webhooks: { secret } }),
              webhookPath: '/knoxcall/events',
            }),
            AlertsModule,
          ],
          providers: [AuditLog],
        },
        { rawBody: true },
      );
      calls.length = 0;
      try {
        const data = {
          route_id: 'r_9',
          route_name: 'payments',
          environment: 'production',
          request: { method: 'POST', path: '/pay', ip: null },
          response: { status: 503, latency_ms: 12 },
        };
        const first = await deliverWebhook(`${app.url}/knoxcall/events`, {
          event: { event: 'request.server_error', data },
          secret: 'whsec_async_secret',
          format: 'legacy',
        });
        expect(first.status).toBe(200);
        expect(first.body).toEqual({ received: true });
        // Both handlers of the type (in the order Nest lists providers), then the '*' handler.
        expect(calls.slice(0, 2).sort()).toEqual(['page:payments:503', 'record:r_9']);
        expect(calls[2]).toBe('all:request.server_error');
        calls.length = 0;
        await deliverWebhook(`${app.url}/knoxcall/events`, { event: { event: 'webhook.test', data: {} }, secret: 'whsec_async_secret', format: 'legacy' });
        expect(calls).toEqual(['other:webhook.test', 'all:webhook.test']);
        const rejected = await deliverWebhook(`${app.url}/knoxcall/events`, {
          event: { event: 'webhook.test', data: {} },
          secret: 'whsec_other',
          format: 'legacy',
        });
        expect(rejected.status).toBe(401);
      } finally {
        await app.close();
      }
    });
  }

  it('types a handler by its event', () => {
    // A handler for a known type must accept that type's event; a mismatched one does not compile.
    const decorate = OnKnoxEvent('request.server_error');
    expectTypeOf(decorate).parameter(2).toEqualTypeOf<TypedPropertyDescriptor<(event: RequestWebhookEvent<'request.server_error'>) => unknown>>();
    class Wrong {
      // @ts-expect-error an audit handler cannot take a request event's type
      @OnKnoxEvent('audit.event')
      handle(_event: RequestWebhookEvent<'request.success'>): void {}
    }
    expect(Wrong).toBeDefined();
  });
});
