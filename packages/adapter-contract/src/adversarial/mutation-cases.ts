import type { WebhookHmacFormat } from '@knoxcall/core/adapter';
import { describe, expect, it } from 'vitest';
import { useApp } from '../app-fixture.js';
import { CUSTOM_HEADER, SECRET, envelopeBody, nowSeconds, signedDelivery } from '../deliveries.js';
import { type AdapterUnderTest, CONTRACT_PATHS } from '../types.js';
import { type MutationContext, envelope, isoAt, mutate } from './mutations.js';
import { adversarialSeed, prng } from './prng.js';
import { type HeaderList, type RawResult, encodeRequest, sendAll } from './raw-http.js';
import { judgeAnswer } from './verdict.js';

export const ADVERSARIAL_FORMATS: readonly WebhookHmacFormat[] = ['legacy', 'github', 'stripe', 'slack', 'aws-sns', 'custom'];
/** Small enough that oversize mutations stay cheap, large enough for every valid delivery. */
export const ADVERSARIAL_MAX_BODY_BYTES = 8192;

export interface MutationRunOptions {
  /** Mutations per adapter, spread evenly over the formats (default 10,000, or `KNOX_ADVERSARIAL_MUTATIONS`). */
  mutations?: number;
  /** Keep-alive connections per app (default 12). */
  concurrency?: number;
  /** A request not answered within this bound counts as a hang (default 5 s). */
  answerWithinMs?: number;
}

interface Base {
  body: Uint8Array;
  headers: HeaderList;
}

/** A few valid deliveries per format: pretty-printed, compact, and with non-ASCII data. */
async function baseDeliveries(format: WebhookHmacFormat, now: number): Promise<Base[]> {
  const bodies = [
    envelopeBody('request.success', { timestampSeconds: now }),
    JSON.stringify(envelope(isoAt(now))),
    JSON.stringify(envelope(isoAt(now), { note: 'naïve café — 東京 😀', list: [1, 2, 3] }, 'audit.event'), null, 4),
  ];
  return Promise.all(
    bodies.map(async (body) => {
      const delivery = await signedDelivery(new TextEncoder().encode(body), { format, headerName: CUSTOM_HEADER, timestamp: now });
      return { body: delivery.body as Uint8Array, headers: Object.entries(delivery.headers) };
    }),
  );
}

function describeRequest(request: { headers: HeaderList; body: Uint8Array; chunks?: readonly number[] }): string {
  const head = encodeRequest({ path: CONTRACT_PATHS.webhook, ...request }).toString('latin1');
  const cut = head.indexOf('\r\n\r\n');
  return `${JSON.stringify(head.slice(0, cut))} + ${request.body.byteLength} body bytes`;
}

/**
 * The fast hostile run: `mutations` generated mutations of valid signed deliveries, every
 * format, over raw keep-alive sockets. Every answer arrives within the bound, none is a 5xx,
 * each is a documented status and body, and each agrees with core's verifier on the bytes
 * that were sent (see `judgeAnswer`).
 */
export function mutationCases(adapter: AdapterUnderTest, options: MutationRunOptions = {}): void {
  const total = options.mutations ?? Number(process.env.KNOX_ADVERSARIAL_MUTATIONS ?? 10_000);
  // Spread exactly `total` over the formats (the first ones take the remainder).
  const countFor = (formatIndex: number) => Math.floor(total / ADVERSARIAL_FORMATS.length) + (formatIndex < total % ADVERSARIAL_FORMATS.length ? 1 : 0);
  const seed = adversarialSeed();
  const answerWithinMs = options.answerWithinMs ?? 5000;

  describe(`${total} mutated deliveries (seed ${seed}; replay one with KNOX_ADVERSARIAL_SEED)`, () => {
    const handled = new Map<WebhookHmacFormat, number>();
    const apps = ADVERSARIAL_FORMATS.map((format) => {
      handled.set(format, 0);
      return {
        format,
        app: useApp(adapter, () => ({
          webhook: {
            secret: SECRET,
            format,
            ...(format === 'custom' ? { headerName: CUSTOM_HEADER } : {}),
            maxBodyBytes: ADVERSARIAL_MAX_BODY_BYTES,
            on: { '*': () => void handled.set(format, handled.get(format)! + 1) },
          },
        })),
      };
    });

    it('answers each within the bound: no 5xx, only documented statuses and bodies, in agreement with core’s verifier', async () => {
      const now = nowSeconds();
      const violations: string[] = [];
      const statuses: Record<string, number> = {};
      for (const [formatIndex, { format, app }] of apps.entries()) {
        const bases = await baseDeliveries(format, now);
        const ctx: MutationContext = { format, secret: SECRET, headerName: CUSTOM_HEADER, maxBodyBytes: ADVERSARIAL_MAX_BODY_BYTES, now };
        const settings = { format, secret: SECRET, maxBodyBytes: ADVERSARIAL_MAX_BODY_BYTES, ...(format === 'custom' ? { headerName: CUSTOM_HEADER } : {}) };
        const offset = ADVERSARIAL_FORMATS.slice(0, formatIndex).reduce((sum, _f, i) => sum + countFor(i), 0);
        let accepted = 0;
        const labels = new Map<number, string>();
        await sendAll({
          port: Number(new URL(app.url).port),
          count: countFor(formatIndex),
          concurrency: options.concurrency ?? 12,
          timeoutMs: answerWithinMs,
          request: async (i) => {
            const id = offset + i;
            const rng = prng(seed, id);
            const mutant = await mutate(rng.pick(bases), rng, ctx);
            labels.set(i, mutant.labels.join(' + '));
            return { ...mutant, path: CONTRACT_PATHS.webhook };
          },
          onResult: (i, request, result: RawResult) => {
            const id = offset + i;
            const what = `#${id} ${format} [${labels.get(i)}]`;
            labels.delete(i);
            if (result.kind !== 'response') {
              statuses[result.kind] = (statuses[result.kind] ?? 0) + 1;
              violations.push(
                `${what} → ${result.kind === 'timeout' ? `no answer within ${answerWithinMs} ms` : 'connection closed without an answer'} (${JSON.stringify(result.partial)}); ${describeRequest(request)}`,
              );
              return;
            }
            const { status, text } = result.response;
            statuses[status] = (statuses[status] ?? 0) + 1;
            if (status === 200) accepted++;
            const problem = judgeAnswer(adapter, settings, request, result.response);
            if (problem !== undefined) violations.push(`${what} → ${problem}: ${status} ${text.slice(0, 200)}; ${describeRequest(request)}`);
          },
        });
        // Exactly the accepted deliveries ran the handler: nothing rejected slipped through to it.
        if (handled.get(format) !== accepted)
          violations.push(`${format}: the handler ran ${handled.get(format)} times for ${accepted} deliveries answered 200`);
      }
      console.info(`${adapter.name}: ${JSON.stringify(statuses)} over ${total} mutations (seed ${seed})`);
      expect(violations.slice(0, 25), `${violations.length} violations (seed ${seed})`).toEqual([]);
      // The generator reaches every outcome; a run that only produced one kind of answer proves little.
      for (const status of ['200', '400', '401', '413', '415']) expect(statuses[status] ?? 0, `answers with status ${status}`).toBeGreaterThan(0);
      expect(({} as Record<string, unknown>).polluted, 'Object.prototype polluted by a __proto__ member').toBeUndefined();
    }, 180_000);
  });
}
