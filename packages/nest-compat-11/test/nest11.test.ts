import { createRequire } from 'node:module';
import { KnoxCall, isKnoxCallError } from '@knoxcall/core';
import {
  KNOXCALL_REQUEST_CLIENT,
  Knox,
  KnoxCallModule,
  KnoxEvent,
  KnoxWebhook,
  KnoxWebhookException,
  type KnoxWebhookEvent,
  OnKnoxEvent,
  getKnox,
} from '@knoxcall/nest';
import { deliverWebhook } from '@knoxcall/testing';
import { type Emulator, startEmulator } from '@knoxcall/testing';
import { Controller, Get, HttpCode, HttpException, Inject, Injectable, Post, Scope, VERSION_NEUTRAL } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNest11App } from './nest11-app.js';

const SECRET = 'whsec_nest11';
let emulator: Emulator;
let client: KnoxCall;
beforeAll(async () => {
  emulator = await startEmulator();
  client = new KnoxCall({ baseUrl: emulator.url, proxyBaseUrl: emulator.proxyUrl, apiKey: emulator.credentials.apiKey, retry: { maxAttempts: 1 } });
});
afterAll(async () => {
  await client?.close();
  await emulator?.close();
});

describe('the Nest under test', () => {
  it('is Nest 11, for these tests and for @knoxcall/nest alike', () => {
    const require = createRequire(import.meta.url);
    expect((require('@nestjs/common/package.json') as { version: string }).version).toMatch(/^11\./);
    expect((require('@nestjs/core/package.json') as { version: string }).version).toMatch(/^11\./);
    // @knoxcall/nest's exceptions extend the HttpException these tests see: one Nest in play.
    expect(VERSION_NEUTRAL).toBeDefined();
    expect(Object.getPrototypeOf(KnoxWebhookException)).toBe(HttpException);
  });
});

@Injectable()
class ViaAccessor {
  async count(): Promise<number> {
    return (await getKnox().routes.list()).data.length;
  }
}

@Injectable({ scope: Scope.REQUEST })
class ViaInjection {
  constructor(@Inject(KNOXCALL_REQUEST_CLIENT) private readonly knox: KnoxCall) {}
  async count(): Promise<number> {
    return (await this.knox.routes.list()).data.length;
  }
}

const events: string[] = [];

@Injectable()
class Handlers {
  @OnKnoxEvent('request.server_error')
  onServerError(event: KnoxWebhookEvent & { event: 'request.server_error' }): void {
    events.push(`server_error:${(event.data as { route_id: string }).route_id}`);
  }
}

@Controller()
class AppController {
  constructor(
    @Inject(ViaAccessor) private readonly accessor: ViaAccessor,
    @Inject(ViaInjection) private readonly injected: ViaInjection,
  ) {}

  @Get('decorator')
  async decorator(@Knox() knox: KnoxCall): Promise<unknown> {
    return { count: (await knox.routes.list()).data.length };
  }

  @Get('accessor')
  async viaAccessor(): Promise<unknown> {
    return { count: await this.accessor.count() };
  }

  @Get('injected')
  async viaInjection(): Promise<unknown> {
    return { count: await this.injected.count() };
  }

  @Post('hook')
  @HttpCode(200)
  @KnoxWebhook()
  hook(@KnoxEvent() event: KnoxWebhookEvent): unknown {
    return { event: event.event };
  }
}

describe('@knoxcall/nest on Nest 11 (Express)', () => {
  const appModule = () => ({
    imports: [
      KnoxCallModule.forRootAsync({
        useFactory: async () => ({ client, webhooks: { secret: SECRET } }),
        webhookPath: '/knoxcall/events',
      }),
    ],
    controllers: [AppController],
    providers: [ViaAccessor, ViaInjection, Handlers],
  });

  for (const path of ['/decorator', '/accessor', '/injected']) {
    it(`${path}: the request's forwarded headers reach KnoxCall`, async () => {
      const app = await startNest11App(appModule());
      try {
        const id = `req-${crypto.randomUUID()}`;
        const res = await fetch(app.url + path, { headers: { 'x-request-id': id } });
        expect(res.status).toBe(200);
        expect(emulator.requests().filter((r) => r.path === '/v1/routes' && r.headers['x-request-id'] === id)).toHaveLength(1);
      } finally {
        await app.close();
      }
    });
  }

  it('@KnoxWebhook verifies req.rawBody, and the module controller runs discovered handlers', async () => {
    const app = await startNest11App(appModule());
    events.length = 0;
    try {
      const ok = await deliverWebhook(`${app.url}/hook`, { event: { event: 'audit.event', data: { id: 'a1' } }, secret: SECRET, format: 'legacy' });
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ event: 'audit.event' });
      const bad = await deliverWebhook(`${app.url}/hook`, { event: { event: 'audit.event', data: {} }, secret: 'whsec_wrong', format: 'legacy' });
      expect(bad.status).toBe(401);
      expect(bad.body).toEqual({ error: { type: 'signature_mismatch', message: expect.any(String) } });
      const handled = await deliverWebhook(`${app.url}/knoxcall/events`, {
        event: { event: 'request.server_error', data: { route_id: 'r_11' } },
        secret: SECRET,
        format: 'legacy',
      });
      expect(handled.status).toBe(200);
      expect(events).toEqual(['server_error:r_11']);
    } finally {
      await app.close();
    }
  });

  it('without rawBody answers 500 raw_body_unavailable naming the fix', async () => {
    const app = await startNest11App(appModule(), { rawBody: false });
    try {
      const result = await deliverWebhook(`${app.url}/hook`, { event: { event: 'audit.event', data: {} }, secret: SECRET, format: 'legacy' });
      expect(result.status).toBe(500);
      expect((result.body as { error: { type: string; message: string } }).error).toMatchObject({
        type: 'raw_body_unavailable',
        message: expect.stringContaining('rawBody: true'),
      });
    } finally {
      await app.close();
    }
  });

  it('closes a client it built on shutdown', async () => {
    const app = await startNest11App({ imports: [KnoxCallModule.forRoot({ clientOptions: { baseUrl: emulator.url, apiKey: emulator.credentials.apiKey } })] });
    const built = app.app.get<KnoxCall>(Symbol.for('knoxcall.nest.client'));
    await app.close();
    await expect(built.routes.list()).rejects.toSatisfy(isKnoxCallError);
  });
});
