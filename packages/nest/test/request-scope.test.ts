import { KnoxCall, isKnoxCallError } from '@knoxcall/core';
import { type Emulator, startEmulator } from '@knoxcall/testing';
import {
  Body,
  type CanActivate,
  Controller,
  type ExecutionContext,
  Get,
  Headers,
  HttpCode,
  Inject,
  Injectable,
  Module,
  Post,
  Req,
  Res,
  Scope,
  UseGuards,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KNOXCALL_CLIENT, KNOXCALL_REQUEST_CLIENT, Knox, KnoxCallExceptionFilter, KnoxCallModule, getKnox } from '../src/index.js';
import { PLATFORMS, type StartedNestApp, startNestApp } from './nest-app.js';

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

/** A service that never sees the request: it finds the request's view with getKnox(). */
@Injectable()
class RoutesService {
  async count(): Promise<number> {
    return (await getKnox().routes.list()).data.length;
  }
}

/** A request-scoped service: the view arrives by DI. */
@Injectable({ scope: Scope.REQUEST })
class ScopedRoutesService {
  constructor(@Inject(KNOXCALL_REQUEST_CLIENT) private readonly knox: KnoxCall) {}
  async count(): Promise<number> {
    return (await this.knox.routes.list()).data.length;
  }
}

/** Takes the view in a guard, before any handler parameter exists: the scope spans Nest's whole pipeline. */
@Injectable()
class ViewInGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    context.switchToHttp().getRequest<{ viewInGuard?: KnoxCall }>().viewInGuard = getKnox();
    return true;
  }
}

@Controller('scope')
class DecoratorController {
  constructor(@Inject(RoutesService) private readonly routes: RoutesService) {}

  @Get('decorator')
  async viaDecorator(@Knox() knox: KnoxCall): Promise<unknown> {
    return { count: (await knox.routes.list()).data.length };
  }

  @Get('accessor')
  async viaAccessor(): Promise<unknown> {
    return { count: await this.routes.count() };
  }

  @Post('accessor')
  @HttpCode(200)
  async viaAccessorAfterBody(@Body() body: { note?: string }): Promise<unknown> {
    // Fastify parses this body between the middleware and the handler, asynchronously.
    return { count: await this.routes.count(), note: body.note };
  }

  @Get('same')
  same(@Knox() knox: KnoxCall): unknown {
    return { same: knox === getKnox(), shared: knox === client };
  }

  @Get('guarded')
  @UseGuards(ViewInGuard)
  guarded(@Knox() knox: KnoxCall, @Req() req: { viewInGuard?: KnoxCall }): unknown {
    return { sameAsGuard: req.viewInGuard === knox };
  }

  @Get('fails')
  async fails(@Knox() knox: KnoxCall): Promise<unknown> {
    return knox.routes.list();
  }
}

/** Settled with what the slow route's KnoxCall call did (the abort-on-disconnect case). */
let settleSlow: (outcome: unknown) => void = () => {};

@Controller('scope')
class SlowController {
  @Get('slow')
  async slow(@Knox() knox: KnoxCall): Promise<unknown> {
    try {
      await knox.routes.list();
      settleSlow('resolved');
    } catch (error) {
      settleSlow(error);
    }
    return {};
  }
}

/** Settled with what the late route's first KnoxCall call did, made after its caller left. */
let settleLate: (outcome: unknown) => void = () => {};

/** The Node socket under an Express request or a Fastify request (`raw`). */
function socketOf(req: unknown): { once(event: 'close', listener: () => void): unknown; destroyed: boolean } {
  const raw = (req as { raw?: unknown }).raw ?? req;
  return (raw as { socket: { once(event: 'close', listener: () => void): unknown; destroyed: boolean } }).socket;
}

@Controller('scope')
class LateController {
  /** Takes the view, waits until the caller has disconnected, and only then makes its first call. */
  @Get('late')
  async late(@Knox() knox: KnoxCall, @Req() req: unknown): Promise<unknown> {
    const socket = socketOf(req);
    if (!socket.destroyed) await new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await new Promise((resolve) => setImmediate(resolve)); // the response's own 'close' runs first
    try {
      await knox.routes.list();
      settleLate('resolved');
    } catch (error) {
      settleLate(error);
    }
    return {};
  }

  /**
   * Counts the response's 'close' listeners before the view exists, once it is built, and
   * once it has sent a call: the disconnect listener should arrive with the first call only.
   */
  @Get('listeners')
  async listeners(@Res({ passthrough: true }) reply: unknown): Promise<unknown> {
    // A Fastify reply wraps the Node response as `raw`; an Express response is one.
    const res = ((reply as { raw?: unknown }).raw ?? reply) as { listenerCount(event: string): number };
    const before = res.listenerCount('close');
    const knox = getKnox();
    const hasRoutes = typeof knox.routes === 'object';
    const afterView = res.listenerCount('close');
    await knox.routes.list();
    await getKnox().routes.list();
    return { hasRoutes, before, afterView, afterCalls: res.listenerCount('close') };
  }
}

@Controller('scope')
class InjectedController {
  constructor(@Inject(ScopedRoutesService) private readonly routes: ScopedRoutesService) {}

  @Get('injected')
  async viaInjection(@Headers('x-request-id') _id: string): Promise<unknown> {
    return { count: await this.routes.count() };
  }
}

/** Request-scoped through its injected view: all three ways of reaching the view in one handler. */
@Controller('scope')
class SharedViewController {
  constructor(@Inject(KNOXCALL_REQUEST_CLIENT) private readonly injected: KnoxCall) {}

  @Get('shared')
  shared(@Knox() knox: KnoxCall): unknown {
    let fromAccessor: KnoxCall | undefined;
    try {
      fromAccessor = getKnox();
    } catch {
      // asyncContext: false
    }
    return { injectedIsDecorator: this.injected === knox, accessorIsDecorator: fromAccessor === undefined ? null : fromAccessor === knox };
  }
}

@Module({ controllers: [InjectedController, SharedViewController], providers: [ScopedRoutesService] })
class InjectedFeatureModule {}

function appModule() {
  return {
    imports: [
      // isGlobal: the feature module injects KNOXCALL_REQUEST_CLIENT without importing the module.
      KnoxCallModule.forRoot({
        isGlobal: true,
        client,
        requestOptions: (req) => ({ headers: { 'X-End-User': String(req.headers['x-user'] ?? 'anonymous') } }),
      }),
      InjectedFeatureModule,
    ],
    controllers: [DecoratorController, SlowController, LateController],
    providers: [RoutesService, { provide: APP_FILTER, useClass: KnoxCallExceptionFilter }],
  };
}

function seenWith(requestId: string) {
  return emulator.requests().filter((r) => r.path === '/v1/routes' && r.headers['x-request-id'] === requestId);
}

for (const platform of PLATFORMS) {
  describe(`request-scoped KnoxCall on ${platform}`, () => {
    let app: StartedNestApp;
    beforeAll(async () => {
      app = await startNestApp(platform, appModule());
    });
    afterAll(async () => {
      await app?.close();
    });

    for (const [how, path] of [
      ['@Knox()', '/scope/decorator'],
      ['getKnox() in a singleton service', '/scope/accessor'],
      ['KNOXCALL_REQUEST_CLIENT in a request-scoped service', '/scope/injected'],
    ] as const) {
      it(`${how} carries the request's forwarded headers and requestOptions to KnoxCall`, async () => {
        const requestId = `req-${crypto.randomUUID()}`;
        const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
        const res = await fetch(app.url + path, { headers: { 'x-request-id': requestId, traceparent, 'x-user': `user-${how}` } });
        expect(res.status).toBe(200);
        expect(typeof ((await res.json()) as { count: unknown }).count).toBe('number');
        const seen = seenWith(requestId);
        expect(seen).toHaveLength(1);
        expect(seen[0]!.headers.traceparent).toBe(traceparent);
        expect(seen[0]!.headers['x-end-user']).toBe(`user-${how}`);
      });
    }

    it('getKnox() still finds the request after a JSON body was parsed (POST)', async () => {
      const requestId = `req-${crypto.randomUUID()}`;
      const res = await fetch(`${app.url}/scope/accessor`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': requestId, 'x-user': 'poster' },
        body: JSON.stringify({ note: 'parsed' }),
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { note: string }).note).toBe('parsed');
      const seen = seenWith(requestId);
      expect(seen).toHaveLength(1);
      expect(seen[0]!.headers['x-end-user']).toBe('poster');
    });

    it('keeps concurrent requests apart for getKnox() and KNOXCALL_REQUEST_CLIENT', async () => {
      const ids = Array.from({ length: 16 }, (_, i) => ({ id: crypto.randomUUID(), path: i % 2 ? '/scope/accessor' : '/scope/injected', user: `u${i}` }));
      const statuses = await Promise.all(
        ids.map(({ id, path, user }) => fetch(app.url + path, { headers: { 'x-request-id': id, 'x-user': user } }).then((r) => r.status)),
      );
      expect(statuses).toEqual(ids.map(() => 200));
      for (const { id, user } of ids) {
        const seen = seenWith(id);
        expect(seen, user).toHaveLength(1);
        expect(seen[0]!.headers['x-end-user']).toBe(user);
      }
    });

    it("aborts the request's KnoxCall calls when the caller disconnects", async () => {
      emulator.script('GET', '/v1/routes', [{ delayMs: 5000 }]);
      const outcome = new Promise<unknown>((resolve) => {
        settleSlow = resolve;
      });
      try {
        const caller = new AbortController();
        const started = Date.now();
        const pending = fetch(`${app.url}/scope/slow`, { signal: caller.signal }).catch(() => 'aborted');
        setTimeout(() => caller.abort(), 150);
        expect(await pending).toBe('aborted');
        const error = await outcome;
        expect(Date.now() - started).toBeLessThan(4000);
        expect(isKnoxCallError(error) && error.name).toBe('APIUserAbortError');
      } finally {
        emulator.script('GET', '/v1/routes', []);
      }
    });

    it('aborts the first KnoxCall call of a view whose caller had already disconnected, sending nothing', async () => {
      const requestId = `req-${crypto.randomUUID()}`;
      const outcome = new Promise<unknown>((resolve) => {
        settleLate = resolve;
      });
      const caller = new AbortController();
      const pending = fetch(`${app.url}/scope/late`, { signal: caller.signal, headers: { 'x-request-id': requestId } }).catch(() => 'aborted');
      setTimeout(() => caller.abort(), 50);
      expect(await pending).toBe('aborted');
      const error = await outcome;
      expect(isKnoxCallError(error) && error.name).toBe('APIUserAbortError');
      expect(seenWith(requestId)).toHaveLength(0);
    });

    it("adds the response's disconnect listener with the view's first KnoxCall call, not when the view is built", async () => {
      const res = await fetch(`${app.url}/scope/listeners`);
      const counts = (await res.json()) as { hasRoutes: boolean; before: number; afterView: number; afterCalls: number };
      expect(counts).toEqual({ hasRoutes: true, before: counts.before, afterView: counts.before, afterCalls: counts.before + 1 });
    });

    it('@Knox() and getKnox() give the same per-request view, not the shared client', async () => {
      const res = await fetch(`${app.url}/scope/same`);
      expect(await res.json()).toEqual({ same: true, shared: false });
    });

    it("getKnox() in a guard gives the handler's @Knox() view", async () => {
      const res = await fetch(`${app.url}/scope/guarded`);
      expect(await res.json()).toEqual({ sameAsGuard: true });
    });

    it('getKnox() works on the HEAD route a GET route answers (Fastify registers it as a route of its own)', async () => {
      const requestId = `req-${crypto.randomUUID()}`;
      const res = await fetch(`${app.url}/scope/accessor`, { method: 'HEAD', headers: { 'x-request-id': requestId, 'x-user': 'header' } });
      expect(res.status).toBe(200);
      const seen = seenWith(requestId);
      expect(seen).toHaveLength(1);
      expect(seen[0]!.headers['x-end-user']).toBe('header');
    });

    it('@Knox(), getKnox() and KNOXCALL_REQUEST_CLIENT are one view within a request', async () => {
      const res = await fetch(`${app.url}/scope/shared`);
      expect(await res.json()).toEqual({ injectedIsDecorator: true, accessorIsDecorator: true });
    });

    it('KnoxCallExceptionFilter answers a KnoxCall 404 as 404 and a 429 as 503 with Retry-After', async () => {
      emulator.script('GET', '/v1/routes', [
        { status: 404, headers: { 'x-request-id': 'req_nf' }, body: { error: { type: 'route_not_found', message: 'gone' } } },
        { status: 429, headers: { 'Retry-After': '9', 'x-request-id': 'req_rl' }, body: { error: { type: 'rate_limited', message: 'slow' } } },
      ]);
      try {
        const notFound = await fetch(`${app.url}/scope/fails`);
        expect(notFound.status).toBe(404);
        expect(await notFound.json()).toEqual({ error: { type: 'route_not_found', message: expect.any(String), request_id: 'req_nf' } });
        const limited = await fetch(`${app.url}/scope/fails`);
        expect(limited.status).toBe(503);
        expect(limited.headers.get('retry-after')).toBe('9');
        expect(((await limited.json()) as { error: { type: string } }).error.type).toBe('knoxcall_rate_limited');
      } finally {
        emulator.script('GET', '/v1/routes', []);
      }
    });
  });
}

describe('asyncContext: false', () => {
  it.each(PLATFORMS)('%s: keeps @Knox() working (no middleware) and makes getKnox() fail with a message naming the option', async (platform) => {
    const app = await startNestApp(platform, {
      imports: [KnoxCallModule.forRoot({ client, asyncContext: false })],
      controllers: [DecoratorController, SharedViewController],
      providers: [RoutesService, { provide: APP_FILTER, useClass: KnoxCallExceptionFilter }],
    });
    try {
      const requestId = `req-${crypto.randomUUID()}`;
      expect((await fetch(`${app.url}/scope/decorator`, { headers: { 'x-request-id': requestId } })).status).toBe(200);
      expect(seenWith(requestId)).toHaveLength(1);
      // Without the scope the state sits on the request: @Knox() and the provider still share it.
      expect(await (await fetch(`${app.url}/scope/shared`)).json()).toEqual({ injectedIsDecorator: true, accessorIsDecorator: null });
      const failed = await fetch(`${app.url}/scope/accessor`);
      expect(failed.status).toBe(500);
      let message = '';
      try {
        getKnox();
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toContain('asyncContext: false');
    } finally {
      await app.close();
    }
  });
});

describe('getKnox() outside a request', () => {
  it('throws a KnoxCallError naming the fix', () => {
    let caught: unknown;
    try {
      getKnox();
    } catch (error) {
      caught = error;
    }
    expect(isKnoxCallError(caught)).toBe(true);
    expect((caught as Error).message).toContain('KnoxCallModule.forRoot');
  });
});

describe('KNOXCALL_CLIENT', () => {
  it('is the client the app passed', async () => {
    const app = await startNestApp('express', { imports: [KnoxCallModule.forRoot({ client })] });
    try {
      expect(app.app.get(KNOXCALL_CLIENT)).toBe(client);
    } finally {
      await app.close();
    }
  });
});
