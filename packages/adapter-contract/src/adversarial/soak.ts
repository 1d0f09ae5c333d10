import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { KnoxCall } from '@knoxcall/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useApp } from '../app-fixture.js';
import { SECRET, envelopeBody, signedDelivery } from '../deliveries.js';
import { type AdapterUnderTest, CONTRACT_PATHS } from '../types.js';
import { type RawRequest, type RawResult, sendAll } from './raw-http.js';

/**
 * The soak (`pnpm test:soak`, not in CI): many deliveries and many `req.knox` requests per
 * adapter, with heap and RSS sampled after a warm-up, in the middle and at the end — each
 * after a full GC — and required flat within 5 %. A leak of even a few hundred bytes per
 * request shows up as tens of megabytes over 100k requests.
 */

export interface SoakOptions {
  /** Requests per run (default 100,000, or `KNOX_SOAK_COUNT`). */
  count?: number;
  /** Allowed growth of heap and RSS over the post-warm-up sample (default 0.05). */
  tolerance?: number;
}

interface MemorySample {
  label: string;
  heapUsed: number;
  rss: number;
  /** Reported only, to tell V8's committed heap and native buffers from a leak. */
  heapTotal: number;
  external: number;
}

async function sample(label: string): Promise<MemorySample> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') throw new Error('the soak needs node --expose-gc: run it with `pnpm test:soak`');
  // Let the phase's connections finish closing on both sides first: a socket mid-teardown
  // still holds its buffers. Then collect, let finalizers and weak callbacks run, collect
  // again — five times over a second, keeping the lowest reading: the allocator hands pages
  // back with a delay, and a reading taken before it did is not what stays.
  let lowest: MemorySample | undefined;
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    gc();
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    const { heapUsed, rss, heapTotal, external } = process.memoryUsage();
    lowest = {
      label,
      heapUsed: Math.min(heapUsed, lowest?.heapUsed ?? heapUsed),
      rss: Math.min(rss, lowest?.rss ?? rss),
      heapTotal: Math.min(heapTotal, lowest?.heapTotal ?? heapTotal),
      external: Math.min(external, lowest?.external ?? external),
    };
  }
  return lowest!;
}

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;

function report(name: string, samples: MemorySample[]): string {
  return `${name}: ${samples.map((s) => `${s.label} heap ${mib(s.heapUsed)} rss ${mib(s.rss)} (heap total ${mib(s.heapTotal)}, external ${mib(s.external)})`).join(' | ')}`;
}

/**
 * Sends `count` requests (8 keep-alive connections), sampling memory after a warm-up (a fifth,
 * at least 5,000 — until then RSS still climbs to the allocator's working size), at the middle
 * and at the end. Every answer must be `expectStatus(index)`.
 */
async function soak(
  port: number,
  count: number,
  request: (index: number) => RawRequest | Promise<RawRequest>,
  expectStatus: (index: number) => number,
): Promise<MemorySample[]> {
  const samples: MemorySample[] = [];
  const warmUp = Math.min(count, Math.max(5000, Math.floor(count / 5)));
  const phases: Array<[from: number, to: number, label: string]> = [
    [0, warmUp, 'after warm-up'],
    [warmUp, Math.floor((warmUp + count) / 2), 'middle'],
    [Math.floor((warmUp + count) / 2), count, 'end'],
  ];
  const wrong: string[] = [];
  for (const [from, to, label] of phases) {
    await sendAll({
      port,
      count: to - from,
      concurrency: 8,
      timeoutMs: 10_000,
      request: (i) => request(from + i),
      onResult: (i, _request, result: RawResult) => {
        const status = result.kind === 'response' ? result.response.status : result.kind;
        if (status !== expectStatus(from + i) && wrong.length < 10)
          wrong.push(`#${from + i}: ${status} ${result.kind === 'response' ? result.response.text.slice(0, 200) : ''}`);
      },
    });
    samples.push(await sample(label));
  }
  expect(wrong).toEqual([]);
  return samples;
}

function expectFlat(name: string, samples: MemorySample[], tolerance: number): void {
  const [start, ...later] = samples;
  console.info(report(name, samples));
  for (const s of later) {
    expect(s.heapUsed, `${report(name, samples)} — heap at ${s.label}`).toBeLessThanOrEqual(start!.heapUsed * (1 + tolerance));
    expect(s.rss, `${report(name, samples)} — RSS at ${s.label}`).toBeLessThanOrEqual(start!.rss * (1 + tolerance));
  }
}

/** Runs the emulator CLI in a child process, so the calls it records do not weigh on this heap. */
async function startEmulatorProcess(): Promise<{ url: string; apiKey: string; child: ChildProcess }> {
  // The workspace's emulator bin (it runs the built dist/ of @knoxcall/testing).
  const bin = fileURLToPath(new URL('../../../testing/bin/knoxcall-emulator.mjs', import.meta.url));
  const child = spawn(process.execPath, [bin], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the emulator exited (${code}) before listening: ${out}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /listening on (\S+)/.exec(out)?.[1];
      const apiKey = /api key:\s+(\S+)/.exec(out)?.[1];
      if (url !== undefined && apiKey !== undefined) resolve({ url, apiKey, child });
    });
  });
}

export function runSoak(adapter: AdapterUnderTest, options: SoakOptions = {}): void {
  const count = options.count ?? Number(process.env.KNOX_SOAK_COUNT ?? 100_000);
  const tolerance = options.tolerance ?? 0.05;

  describe(`soak: ${adapter.name}`, () => {
    describe(`${count} webhook deliveries`, () => {
      let handled = 0;
      const app = useApp(adapter, () => ({ webhook: { secret: SECRET, format: 'stripe', on: { '*': () => void handled++ } } }));

      it(
        'keep heap and RSS flat (9 in 10 valid and handled, 1 in 10 tampered and refused)',
        async () => {
          const samples = await soak(
            Number(new URL(app.url).port),
            count,
            async (i) => {
              const signed = await signedDelivery(envelopeBody('request.success', { data: { route_id: `r_${i}`, n: i } }), { format: 'stripe' });
              const body = new TextEncoder().encode(signed.body as string);
              if (i % 10 === 9) body[body.length - 3] = body[body.length - 3]! ^ 1;
              return { path: CONTRACT_PATHS.webhook, headers: Object.entries(signed.headers), body };
            },
            (i) => (i % 10 === 9 ? 401 : 200),
          );
          expect(handled).toBe(count - Math.floor(count / 10));
          expectFlat(`${adapter.name} deliveries`, samples, tolerance);
        },
        60 * 60_000,
      );
    });

    describe(`${count} requests through the request-scoped client`, () => {
      let emulator: { url: string; apiKey: string; child: ChildProcess } | undefined;
      let client: KnoxCall | undefined;
      let probes = 0;
      beforeAll(async () => {
        emulator = await startEmulatorProcess();
        client = new KnoxCall({ baseUrl: emulator.url, apiKey: emulator.apiKey, retry: { maxAttempts: 1 } });
      });
      afterAll(async () => {
        await client?.close();
        emulator?.child.kill('SIGTERM');
      });
      const app = useApp(adapter, () => ({
        knox: {
          client: client!,
          requestOptions: (header) => ({ headers: { 'X-End-User': header('x-user') ?? 'anonymous' } }),
          // One in four requests calls KnoxCall through the view; the rest only take it.
          probe: async (knox) => {
            const view = knox as KnoxCall;
            if (++probes % 4 === 0) return (await view.routes.list()).data.length >= 0;
            return typeof view.routes.list === 'function';
          },
        },
      }));

      it(
        'keep heap and RSS flat',
        async () => {
          const samples = await soak(
            Number(new URL(app.url).port),
            count,
            (i) => ({
              method: 'GET',
              path: CONTRACT_PATHS.probe,
              headers: [
                ['x-user', `user-${i % 1000}`],
                ['x-request-id', `req-${i}`],
                ['traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
              ],
              body: new Uint8Array(0),
            }),
            () => 200,
          );
          expectFlat(`${adapter.name} req.knox`, samples, tolerance);
        },
        60 * 60_000,
      );
    });
  });
}
