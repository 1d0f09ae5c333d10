import type { KnoxCall, KnoxCallOptions } from '@knoxcall/core';
import type { Emulator, RecordedRequest } from '@knoxcall/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useApp } from './app-fixture.js';
import { readAnswer } from './deliveries.js';
import { startEmulatorClient } from './emulator-client.js';
import { type AdapterUnderTest, CONTRACT_PATHS, type ContractKnoxConfig } from './types.js';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

/** The probe every adapter's `/knox/probe` route runs: one management call through the request's view. */
async function probe(knox: unknown): Promise<unknown> {
  const page = await (knox as KnoxCall).routes.list();
  return { listed: Array.isArray(page.data) };
}

/** The management calls the emulator saw for one incoming request (matched by its unique marker header). */
function seenWith(emulator: Emulator, header: string, value: string): RecordedRequest[] {
  return emulator.requests().filter((r) => r.path === '/v1/routes' && r.headers[header] === value);
}

export function requestScopeCases(adapter: AdapterUnderTest): void {
  const reason = adapter.skip?.['request-scope'];
  if (reason) {
    it.skip(`request-scoped client cases (skipped: ${reason})`, () => {});
    return;
  }

  let emulator: Emulator;
  let client: KnoxCall;
  let clientOptions: KnoxCallOptions;
  let stop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ emulator, client, options: clientOptions, close: stop } = await startEmulatorClient());
  });
  afterAll(async () => {
    await stop?.();
  });
  const knoxConfig = (extra: Partial<ContractKnoxConfig> = {}): ContractKnoxConfig => ({ client, probe, clientOptions, ...extra });

  describe('defaults', () => {
    const app = useApp(adapter, () => ({ knox: knoxConfig() }));

    it('forwards the incoming traceparent and x-request-id on the request’s KnoxCall calls', async () => {
      const requestId = `req-${crypto.randomUUID()}`;
      const answer = await readAnswer(await fetch(app.url + CONTRACT_PATHS.probe, { headers: { traceparent: TRACEPARENT, 'X-Request-Id': requestId } }));
      expect(answer.body).toEqual({ result: { listed: true } });
      expect(answer.status).toBe(200);
      const seen = seenWith(emulator, 'x-request-id', requestId);
      expect(seen).toHaveLength(1);
      expect(seen[0]!.headers.traceparent).toBe(TRACEPARENT);
    });

    it('forwards nothing the caller did not send, and no other incoming header', async () => {
      const marker = `cookie-${crypto.randomUUID()}`;
      const before = emulator.requests().length;
      const answer = await readAnswer(
        await fetch(app.url + CONTRACT_PATHS.probe, { headers: { cookie: `session=${marker}`, authorization: 'Bearer end-user-token' } }),
      );
      expect(answer.status).toBe(200);
      const seen = emulator
        .requests()
        .slice(before)
        .filter((r) => r.path === '/v1/routes');
      expect(seen).toHaveLength(1);
      expect(seen[0]!.headers.traceparent).toBeUndefined();
      expect(JSON.stringify(seen[0]!.headers)).not.toContain(marker);
      expect(seen[0]!.headers.authorization).not.toContain('end-user-token');
    });
  });

  describe('requestOptions(req)', () => {
    const app = useApp(adapter, () => ({
      knox: knoxConfig({
        requestOptions: (header) => ({
          headers: { 'X-End-User': header('x-user') ?? 'anonymous', 'X-Request-Id': `app-${header('x-request-id') ?? 'none'}` },
        }),
        requestHeaders: {
          'X-End-User': { from: 'x-user', fallback: 'anonymous' },
          'X-Request-Id': { from: 'x-request-id', prefix: 'app-', fallback: 'none' },
        },
      }),
    }));

    it('sends its headers to KnoxCall, winning over the forwarded defaults', async () => {
      const id = crypto.randomUUID();
      const answer = await readAnswer(
        await fetch(app.url + CONTRACT_PATHS.probe, { headers: { 'x-user': 'u-42', 'x-request-id': id, traceparent: TRACEPARENT } }),
      );
      expect(answer.status).toBe(200);
      const seen = seenWith(emulator, 'x-request-id', `app-${id}`);
      expect(seen).toHaveLength(1);
      expect(seen[0]!.headers['x-end-user']).toBe('u-42');
      expect(seen[0]!.headers.traceparent).toBe(TRACEPARENT);
    });

    it('keeps concurrent requests isolated: each call carries its own request’s headers', async () => {
      const users = Array.from({ length: 24 }, (_, i) => ({ user: `user-${i}`, id: crypto.randomUUID() }));
      const answers = await Promise.all(
        users.map(({ user, id }) => fetch(app.url + CONTRACT_PATHS.probe, { headers: { 'x-user': user, 'x-request-id': id } }).then(readAnswer)),
      );
      expect(answers.map((a) => a.status)).toEqual(users.map(() => 200));
      for (const { user, id } of users) {
        const seen = seenWith(emulator, 'x-request-id', `app-${id}`);
        expect(seen, user).toHaveLength(1);
        expect(seen[0]!.headers['x-end-user']).toBe(user);
      }
    });
  });

  describe('KnoxCall errors in a handler', () => {
    const app = useApp(adapter, () => ({ knox: knoxConfig() }));

    it('are answered through the adapter’s knoxErrorToResponse wrapper (429 → 503 with Retry-After)', async () => {
      emulator.script('GET', '/v1/routes', [
        { status: 429, headers: { 'Retry-After': '7', 'x-request-id': 'req_rate' }, body: { error: { type: 'rate_limited', message: 'slow down' } } },
      ]);
      const answer = await readAnswer(await fetch(app.url + CONTRACT_PATHS.probe));
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('7');
      expect(answer.body).toEqual({ error: { type: 'knoxcall_rate_limited', message: expect.any(String), request_id: 'req_rate' } });
    });
  });
}
