import { KnoxCall, isKnoxCallError } from '@knoxcall/core';
import { type Emulator, startEmulator } from '@knoxcall/testing';
import { Controller, Get, Headers, Req } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Knox, KnoxCallModule, getKnox } from '../src/index.js';
import { PLATFORMS, type StartedNestApp, startNestApp } from './nest-app.js';

// The request's view is made when the handler takes it, but its defaults (forwarded headers,
// requestOptions' headers, the disconnect signal) only when it sends its first call. These
// tests hold two requests of two tenants open at once, with views taken and not yet used,
// and use them only after an await, in the opposite order, or after one caller has left:
// each request's calls must carry its own tenant, request id and environment, and only the
// request whose caller left may be aborted.

let emulator: Emulator;
let client: KnoxCall;

beforeAll(async () => {
  emulator = await startEmulator();
  client = new KnoxCall({ baseUrl: emulator.url, apiKey: emulator.credentials.apiKey, retry: { maxAttempts: 1 } });
});
afterAll(async () => {
  await client?.close();
  await emulator?.close();
});

/** Lets a test see that a handler has taken its view, and decide when it goes on. */
interface Gate {
  arrive(): void;
  arrived: Promise<void>;
  open(): void;
  opened: Promise<void>;
  /** What the handler's first KnoxCall call did: 'resolved' or the error. */
  settle(outcome: unknown): void;
  outcome: Promise<unknown>;
}

const gates = new Map<string, Gate>();

function gateFor(id: string): Gate {
  let gate = gates.get(id);
  if (gate === undefined) {
    const gateParts: Partial<Gate> = {};
    gateParts.arrived = new Promise<void>((resolve) => {
      gateParts.arrive = resolve;
    });
    gateParts.opened = new Promise<void>((resolve) => {
      gateParts.open = resolve;
    });
    gateParts.outcome = new Promise<unknown>((resolve) => {
      gateParts.settle = resolve;
    });
    gate = gateParts as Gate;
    gates.set(id, gate);
  }
  return gate;
}

/** The Node socket under an Express request or a Fastify request (`raw`). */
function socketOf(req: unknown): { once(event: 'close', listener: () => void): unknown; destroyed: boolean } {
  const raw = (req as { raw?: unknown }).raw ?? req;
  return (raw as { socket: { once(event: 'close', listener: () => void): unknown; destroyed: boolean } }).socket;
}

/** requestOptions calls, by request id: the app's function is asked when the view is taken. */
const requestOptionsAsked: string[] = [];

@Controller('lazy')
class GatedController {
  /** Takes the view, reports in, waits for the test, and only then sends its first call. */
  @Get('gated')
  async gated(@Knox() knox: KnoxCall, @Headers('x-request-id') id: string, @Req() req: unknown): Promise<unknown> {
    const gate = gateFor(id);
    const askedWhenTaken = requestOptionsAsked.includes(id);
    gate.arrive();
    await gate.opened;
    const socket = socketOf(req);
    if ((req as { headers: Record<string, unknown> }).headers['x-wait-close'] === '1') {
      if (!socket.destroyed) await new Promise<void>((resolve) => socket.once('close', () => resolve()));
      await new Promise((resolve) => setImmediate(resolve)); // the response's own 'close' runs first
    }
    try {
      await knox.routes.list();
      gate.settle('resolved');
    } catch (error) {
      gate.settle(error);
    }
    return { environment: knox.environment, sameAsGetKnox: getKnox() === knox, askedWhenTaken };
  }
}

const TENANTS: Record<string, string> = { acme: 'staging', globex: 'development' };

function appModule() {
  return {
    imports: [
      KnoxCallModule.forRoot({
        client,
        requestOptions: (req) => {
          const tenant = String(req.headers['x-tenant']);
          requestOptionsAsked.push(String(req.headers['x-request-id']));
          return { headers: { 'X-Tenant': tenant }, environment: TENANTS[tenant] };
        },
      }),
    ],
    controllers: [GatedController],
  };
}

function seenWith(requestId: string) {
  return emulator.requests().filter((r) => r.path === '/v1/routes' && r.headers['x-request-id'] === requestId);
}

for (const platform of PLATFORMS) {
  describe(`a request's view made on first use, on ${platform}`, () => {
    let app: StartedNestApp;
    beforeAll(async () => {
      app = await startNestApp(platform, appModule());
    });
    afterAll(async () => {
      // A connection whose caller aborted mid-request holds Fastify's close for seconds (as
      // the disconnect tests of request-scope.test.ts do too); nothing here is in flight any more.
      (app?.app.getHttpServer() as { closeAllConnections?: () => void } | undefined)?.closeAllConnections?.();
      await app?.close();
    });

    const request = (id: string, tenant: string, init: RequestInit = {}) =>
      fetch(`${app.url}/lazy/gated`, { ...init, headers: { 'x-request-id': id, 'x-tenant': tenant, ...(init.headers as Record<string, string>) } });

    it('keeps two tenants apart when both hold their views and use them after an await, the later request first', async () => {
      const [first, second] = [`req-${crypto.randomUUID()}`, `req-${crypto.randomUUID()}`];
      const firstResponse = request(first, 'acme');
      await gateFor(first).arrived;
      const secondResponse = request(second, 'globex');
      await gateFor(second).arrived;

      gateFor(second).open();
      const secondBody = await (await secondResponse).json();
      expect(seenWith(first)).toHaveLength(0);
      gateFor(first).open();
      const firstBody = await (await firstResponse).json();

      expect(firstBody).toEqual({ environment: 'staging', sameAsGetKnox: true, askedWhenTaken: true });
      expect(secondBody).toEqual({ environment: 'development', sameAsGetKnox: true, askedWhenTaken: true });
      for (const [id, tenant] of [
        [first, 'acme'],
        [second, 'globex'],
      ] as const) {
        const seen = seenWith(id);
        expect(seen, tenant).toHaveLength(1);
        expect(seen[0]!.headers['x-tenant']).toBe(tenant);
      }
      expect(await gateFor(first).outcome).toBe('resolved');
      expect(await gateFor(second).outcome).toBe('resolved');
    });

    it('aborts the first call of the request whose caller left, while the other request, open at the same time, goes on', async () => {
      const [leaving, staying] = [`req-${crypto.randomUUID()}`, `req-${crypto.randomUUID()}`];
      const caller = new AbortController();
      const leavingResponse = request(leaving, 'acme', { signal: caller.signal, headers: { 'x-wait-close': '1' } }).catch(() => 'aborted');
      const stayingResponse = request(staying, 'globex');
      await Promise.all([gateFor(leaving).arrived, gateFor(staying).arrived]);

      caller.abort();
      expect(await leavingResponse).toBe('aborted');
      gateFor(leaving).open();
      const error = await gateFor(leaving).outcome;
      expect(isKnoxCallError(error) && error.name).toBe('APIUserAbortError');
      expect(seenWith(leaving)).toHaveLength(0);

      gateFor(staying).open();
      const stayingResult = await stayingResponse;
      expect(stayingResult.status).toBe(200);
      expect(await stayingResult.json()).toEqual({ environment: 'development', sameAsGetKnox: true, askedWhenTaken: true });
      expect(await gateFor(staying).outcome).toBe('resolved');
      const seen = seenWith(staying);
      expect(seen).toHaveLength(1);
      expect(seen[0]!.headers['x-tenant']).toBe('globex');
    });
  });
}
