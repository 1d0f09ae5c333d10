import { describe, expect, it } from 'vitest';
import { useApp } from '../app-fixture.js';
import { SECRET, envelopeBody, signedDelivery } from '../deliveries.js';
import { type AdapterUnderTest, CONTRACT_PATHS } from '../types.js';
import { RawConnection, type RawResult, encodeRequest, slices } from './raw-http.js';
import { errorCodeOf, judgeAnswer, parseJson } from './verdict.js';

const MAX_BODY_BYTES = 8192;
/** A sender's mistake is answered (or the connection closed) this soon after the sender stopped. */
const ANSWER_WITHIN_MS = 3000;
const settings = { format: 'legacy' as const, secret: SECRET, maxBodyBytes: MAX_BODY_BYTES };

async function delivery(data: unknown = { route_id: 'r_slow' }): Promise<{ body: Buffer; headers: Array<[string, string]> }> {
  const signed = await signedDelivery(envelopeBody('request.success', { data }));
  return { body: Buffer.from(signed.body as string), headers: Object.entries(signed.headers) };
}

/** A request head with a Content-Length of the caller's choosing (it may lie). */
function headWith(headers: Array<[string, string]>, contentLength: number | string): Buffer {
  const lines = [`POST ${CONTRACT_PATHS.webhook} HTTP/1.1`, 'Host: 127.0.0.1', ...headers.map(([n, v]) => `${n}: ${v}`), `Content-Length: ${contentLength}`];
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}

/**
 * For a lying or broken request the HTTP server itself may refuse the framing before the
 * adapter sees anything: Node answers a bare 400 (Fastify's clientError a JSON 400) and
 * closes. That, a close, or the adapter's documented answer is allowed; a 5xx or a hang never.
 */
function framingVerdict(adapter: AdapterUnderTest, request: { body: Uint8Array; headers: Array<[string, string]> }, result: RawResult): string | undefined {
  if (result.kind === 'timeout') return `no answer and no close within ${ANSWER_WITHIN_MS} ms`;
  if (result.kind === 'closed') return undefined;
  const { response } = result;
  if (response.status === 400 && errorCodeOf(adapter, parseJson(response.text)) === undefined) return undefined;
  const problem = judgeAnswer(adapter, settings, request, response);
  return problem === undefined ? undefined : `${problem}: ${response.status} ${response.text}`;
}

function statusOf(result: RawResult): number | string {
  return result.kind === 'response' ? result.response.status : result.kind;
}

/**
 * Slow and lying bodies: bytes dribbled in, a Content-Length larger or smaller than what is
 * sent, senders that stop or vanish mid-body. Each is answered with a documented status or the
 * connection is closed within a bound — never a 5xx, never a hang — and the server keeps
 * serving others meanwhile.
 */
export function streamCases(adapter: AdapterUnderTest): void {
  describe('slow and lying bodies', () => {
    let handled = 0;
    const app = useApp(adapter, () => ({
      webhook: { secret: SECRET, maxBodyBytes: MAX_BODY_BYTES, on: { '*': () => void handled++ } },
    }));
    const port = () => Number(new URL(app.url).port);
    /** A normal delivery on a fresh connection, answered 200 within `withinMs`. */
    const expectServing = async (withinMs: number) => {
      const fresh = await delivery({ route_id: 'r_probe' });
      const connection = await RawConnection.open(port());
      const started = Date.now();
      const result = await connection.send(encodeRequest({ path: CONTRACT_PATHS.webhook, headers: fresh.headers, body: fresh.body }), withinMs);
      connection.destroy();
      expect(statusOf(result), 'a normal delivery while others misbehave').toBe(200);
      return Date.now() - started;
    };

    it('answers deliveries dribbled a few bytes at a time (head and body), and serves a normal one meanwhile', async () => {
      const senders = await Promise.all(
        Array.from({ length: 12 }, async (_, i) => {
          const { body, headers } = await delivery({ route_id: `r_dribble_${i}` });
          const bytes = encodeRequest({ path: CONTRACT_PATHS.webhook, headers, body });
          const connection = await RawConnection.open(port());
          // 3–5 bytes every 15 ms: about 2–3 s per delivery, far longer than the normal one may take.
          const sender = { connection, done: false, pending: Promise.resolve<RawResult>({ kind: 'closed', partial: '' }) };
          sender.pending = connection.send(slices(bytes, 3 + (i % 3)), 20_000, { gapMs: 15 }).finally(() => {
            sender.done = true;
          });
          return sender;
        }),
      );
      const before = handled;
      expect(await expectServing(1000)).toBeLessThan(1000);
      expect(
        senders.filter((s) => s.done),
        'the normal delivery had to wait for the slow ones',
      ).toEqual([]);
      const results = await Promise.all(senders.map((s) => s.pending));
      for (const s of senders) s.connection.destroy();
      expect(results.map(statusOf)).toEqual(results.map(() => 200));
      expect(handled - before).toBe(13);
    });

    it('refuses an oversize body sent chunked and slowly with 413 (or a close) before the sender finishes', async () => {
      const { headers } = await delivery();
      const big = Buffer.alloc(64 * 1024, 0x20);
      const bytes = encodeRequest({ path: CONTRACT_PATHS.webhook, headers, body: big, chunks: Array(128).fill(512) });
      const connection = await RawConnection.open(port());
      const written: { at?: number } = {};
      const result = await connection.send(slices(bytes, 520), ANSWER_WITHIN_MS * 2, { gapMs: 10, written });
      connection.destroy();
      if (result.kind === 'response') {
        expect(result.response.status).toBe(413);
        expect(judgeAnswer(adapter, settings, { body: big, headers }, result.response)).toBeUndefined();
      } else expect(result.kind).toBe('closed');
      // ~1.3 s of sending at this pace; the limit is passed after ~0.2 s.
      expect(written.at, 'the answer came only after the whole oversize body was sent').toBeUndefined();
    });

    it('answers (or closes) a body shorter than its Content-Length once the sender half-closes', async () => {
      const { body, headers } = await delivery();
      for (const sent of [0, 1, body.byteLength >> 1, body.byteLength - 1]) {
        const connection = await RawConnection.open(port());
        const result = await connection.send([headWith(headers, body.byteLength), body.subarray(0, sent)], ANSWER_WITHIN_MS, { end: true });
        connection.destroy();
        expect(framingVerdict(adapter, { body: body.subarray(0, sent), headers }, result), `${sent} of ${body.byteLength} bytes then FIN`).toBeUndefined();
        if (result.kind === 'response') expect(result.response.status, `${sent} bytes: ${result.response.text}`).toBe(400);
      }
    });

    it('survives senders that stall or vanish mid-body: nothing handled, others still served', async () => {
      const before = handled;
      const { body, headers } = await delivery();
      const stalled = await Promise.all(
        Array.from({ length: 8 }, async (_, i) => {
          const connection = await RawConnection.open(port());
          void connection.send([headWith(headers, body.byteLength + 100), body.subarray(0, (i * body.byteLength) >> 3)], 60_000);
          return connection;
        }),
      );
      await new Promise((r) => setTimeout(r, 300));
      expect(await expectServing(1000)).toBeLessThan(1000);
      for (const connection of stalled) connection.destroy(); // vanish: RST/FIN mid-body
      await new Promise((r) => setTimeout(r, 100));
      expect(await expectServing(1000)).toBeLessThan(1000);
      expect(handled - before).toBe(2);
    });

    it('reads only Content-Length bytes of a longer body: a 4xx (or a close), and the rest never yields a 5xx', async () => {
      const before = handled;
      const { body, headers } = await delivery();
      for (const declared of [0, 1, 10, body.byteLength - 1]) {
        const connection = await RawConnection.open(port());
        const first = await connection.send([headWith(headers, declared), body], ANSWER_WITHIN_MS);
        expect(
          framingVerdict(adapter, { body: body.subarray(0, declared), headers }, first),
          `Content-Length ${declared} of ${body.byteLength}`,
        ).toBeUndefined();
        if (first.kind === 'response') expect(first.response.status).not.toBe(200);
        // The unread rest is parsed as a next request: Node's parser refuses it, or the connection closes.
        const rest = await connection.next(ANSWER_WITHIN_MS);
        connection.destroy();
        expect(rest.kind, 'after the declared bytes').not.toBe('timeout');
        if (rest.kind === 'response') expect(rest.response.status, rest.response.text).toBeLessThan(500);
      }
      expect(handled - before).toBe(0);
    });

    it('answers a malformed or conflicting Content-Length below 500 (or closes), and keeps serving', async () => {
      const { body, headers } = await delivery();
      const heads = [
        headWith(headers, 'abc'),
        headWith(headers, '-1'),
        headWith(headers, `${body.byteLength}, ${body.byteLength + 1}`),
        headWith(headers, '99999999999999999999999'),
        headWith([...headers, ['Transfer-Encoding', 'chunked']], body.byteLength),
      ];
      for (const head of heads) {
        const connection = await RawConnection.open(port());
        const result = await connection.send([head, body], ANSWER_WITHIN_MS, { end: true });
        connection.destroy();
        const line = head.toString('latin1').split('\r\n').slice(-4).join(' | ');
        expect(result.kind, line).not.toBe('timeout');
        if (result.kind === 'response') expect(result.response.status, `${line}: ${result.response.text}`).toBeLessThan(500);
      }
      await expectServing(1000);
    });
  });
}
