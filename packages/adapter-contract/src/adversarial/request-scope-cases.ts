import type { KnoxCall } from '@knoxcall/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useApp } from '../app-fixture.js';
import { startEmulatorClient } from '../emulator-client.js';
import { type AdapterUnderTest, CONTRACT_PATHS } from '../types.js';
import { adversarialSeed, prng } from './prng.js';
import { type RawRequest, sendAll } from './raw-http.js';

const FORWARDED = ['traceparent', 'x-request-id'] as const;

/** Hostile values for a header the request scope forwards to KnoxCall (all legal on the wire). */
function hostileValue(index: number, seed: number): string {
  const rng = prng(seed, 1_000_000 + index);
  const printable = (length: number) => Array.from({ length }, () => String.fromCharCode(rng.int(0x20, 0x7e))).join('');
  return rng.pick([
    '',
    ' ',
    printable(rng.int(1, 60)),
    printable(4000),
    '00-00000000000000000000000000000000-0000000000000000-00',
    'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra',
    `${printable(10)}${String.fromCharCode(rng.int(0x80, 0xff))}${printable(10)}`,
    'a, b, c',
    '\t',
  ]);
}

/**
 * Requests through the request-scoped client with hostile forwarded headers (traceparent,
 * x-request-id: empty, huge, non-ASCII, repeated): every one is served — the view is built and
 * its KnoxCall call made — never a 5xx, whatever the caller sent.
 */
export function requestScopeAdversarialCases(adapter: AdapterUnderTest, count = 100): void {
  if (adapter.skip?.['request-scope']) return;
  describe(`${count} requests with hostile forwarded headers through the request-scoped client`, () => {
    let client: KnoxCall;
    let stop: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      ({ client, close: stop } = await startEmulatorClient());
    });
    afterAll(async () => {
      await stop?.();
    });
    const app = useApp(adapter, () => ({
      knox: { client, probe: async (knox) => ({ listed: Array.isArray((await (knox as KnoxCall).routes.list()).data) }) },
    }));

    it('answers every one 200 through a working view', async () => {
      const seed = adversarialSeed();
      const wrong: string[] = [];
      await sendAll({
        port: Number(new URL(app.url).port),
        count,
        concurrency: 8,
        timeoutMs: 10_000,
        request: (i): RawRequest => {
          const rng = prng(seed, 2_000_000 + i);
          const headers: Array<[string, string]> = [];
          for (const name of FORWARDED) {
            const times = rng.pick([0, 1, 1, 2]);
            for (let n = 0; n < times; n++)
              headers.push([rng.chance(0.5) ? name : name.toUpperCase(), hostileValue(i * 4 + n + (name === 'traceparent' ? 2 : 0), seed)]);
          }
          return { method: 'GET', path: CONTRACT_PATHS.probe, headers, body: new Uint8Array(0) };
        },
        onResult: (i, request, result) => {
          const ok = result.kind === 'response' && result.response.status === 200 && result.response.text === '{"result":{"listed":true}}';
          if (!ok && wrong.length < 20) {
            const answer = result.kind === 'response' ? `${result.response.status} ${result.response.text.slice(0, 200)}` : result.kind;
            wrong.push(`#${i} ${JSON.stringify(request.headers.map(([n, v]) => `${n}: ${v.slice(0, 80)}`))} → ${answer}`);
          }
        },
      });
      expect(wrong, `seed ${seed}`).toEqual([]);
    });
  });
}
