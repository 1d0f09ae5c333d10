/**
 * The seam: core's processor decides which of the adapter's actions to call. These cases
 * are the decisions every adapter inherits and that no single framework's app test pins
 * down on its own: how the route's end settles the replay lease (a status, a throw, a
 * closed connection), the route after the `on` handlers (Fastify's `handler`), the
 * connection closed after an oversize body, and the brand on the attached event.
 */
import { signWebhook } from '@knoxcall/testing/signer';
import { describe, expect, it } from 'vitest';
import { type KnoxWebhookEvent, type RouteEnd, type WebhookActions, createWebhookProcessor, isBrandedAttachment } from '../src/adapter/index.js';
import { MemoryReplayStore, WebhookSignatureVerificationError } from '../src/webhooks/index.js';

const SECRET = 'whsec_seam';
const encoder = new TextEncoder();

async function signed(body = JSON.stringify({ event: 'request.success', timestamp: new Date().toISOString(), data: { n: Math.random() } })) {
  const headers = Object.fromEntries(Object.entries(await signWebhook({ body, secret: SECRET, format: 'legacy' })).map(([k, v]) => [k.toLowerCase(), v]));
  return { body, headers: { 'content-type': 'application/json', ...headers } as Record<string, string> };
}

/** One request as a fake framework sees it, with a log of every action core called. */
interface FakeRequest {
  headers: Record<string, string>;
  body: string;
  calls: string[];
  /** How the fake route ends when passed on. */
  route?: () => RouteEnd | Promise<RouteEnd>;
  event?: KnoxWebhookEvent;
}

const actions: WebhookActions<FakeRequest, FakeRequest, [], string> = {
  headers: (r) => r.headers,
  readBody(r, maxBodyBytes) {
    r.calls.push('readBody');
    const bytes = encoder.encode(r.body);
    if (bytes.byteLength > maxBodyBytes) throw new WebhookSignatureVerificationError('too large', 'payload_too_large');
    return bytes;
  },
  secretContext: (r) => r,
  callHandler: (_r, handler, first) => handler(first),
  attachEvent(r, event) {
    r.calls.push('attachEvent');
    r.event = event;
  },
  answeredBy: () => false,
  answer(r, reply) {
    r.calls.push(`answer ${reply.status}${reply.discardBody ? ' discardBody' : ''}${reply.headers?.connection === 'close' ? ' connection:close' : ''}`);
    return `answered ${reply.status}`;
  },
  async passOn(r, route) {
    r.calls.push('passOn');
    const end = await r.route!();
    await route.ended(end);
    return `route ended ${String(end)}`;
  },
};

function request(d: { body: string; headers: Record<string, string> }, route?: FakeRequest['route']): FakeRequest {
  return { ...d, calls: [], route };
}

describe('the route decides the replay lease', () => {
  it.each<[RouteEnd, 'released' | 'done']>([
    [200, 'done'],
    [499, 'done'],
    [500, 'released'],
    [503, 'released'],
    ['closed', 'released'],
  ])('a route that ended %s: the delivery is %s', async (end, expected) => {
    const processor = createWebhookProcessor({ secret: SECRET, replayStore: new MemoryReplayStore() }, actions);
    const d = await signed();
    expect(await processor.handle(request(d, () => end))).toBe(`route ended ${String(end)}`);
    const retry = request(d, () => 200);
    const answer = await processor.handle(retry);
    // released: the retry runs the route again; done: it is answered 200 duplicate without it
    expect(answer).toBe(expected === 'released' ? 'route ended 200' : 'answered 200');
    expect(retry.calls.includes('passOn')).toBe(expected === 'released');
  });

  it('a route that throws: the error reaches the framework unchanged and the lease is released', async () => {
    const processor = createWebhookProcessor({ secret: SECRET, replayStore: new MemoryReplayStore() }, actions);
    const d = await signed();
    const failure = new Error('route failed');
    await expect(
      processor.handle(
        request(d, () => {
          throw failure;
        }),
      ),
    ).rejects.toBe(failure);
    expect(await processor.handle(request(d, () => 201))).toBe('route ended 201');
  });

  it('a route still running holds the lease: a retry meanwhile gets 409, never the route', async () => {
    const processor = createWebhookProcessor({ secret: SECRET, replayStore: new MemoryReplayStore() }, actions);
    const d = await signed();
    let end!: (value: RouteEnd) => void;
    const first = processor.handle(request(d, () => new Promise<RouteEnd>((resolve) => (end = resolve))));
    await new Promise((resolve) => setTimeout(resolve, 10));
    const retry = request(d, () => 200);
    expect(await processor.handle(retry)).toBe('answered 409');
    expect(retry.calls).not.toContain('passOn');
    end(200);
    await first;
  });
});

describe('the route after the `on` handlers (routeAfterHandlers)', () => {
  it('runs the handlers, then passes on; without the option the processor answers 200 itself', async () => {
    const order: string[] = [];
    const on = { 'request.success': () => void order.push('typed'), '*': () => void order.push('wildcard') };
    const withRoute = createWebhookProcessor({ secret: SECRET, on }, actions, { routeAfterHandlers: true });
    const r = request(await signed(), () => {
      order.push('route');
      return 200;
    });
    expect(await withRoute.handle(r)).toBe('route ended 200');
    expect(order).toEqual(['typed', 'wildcard', 'route']);

    const plain = createWebhookProcessor({ secret: SECRET, on }, actions);
    const p = request(await signed(), () => 200);
    expect(await plain.handle(p)).toBe('answered 200');
    expect(p.calls).not.toContain('passOn');
  });

  it('a failing handler answers 500 and the route never runs', async () => {
    const processor = createWebhookProcessor(
      {
        secret: SECRET,
        on: {
          '*': () => {
            throw new Error('boom');
          },
        },
      },
      actions,
      { routeAfterHandlers: true },
    );
    const r = request(await signed(), () => 200);
    expect(await processor.handle(r)).toBe('answered 500');
    expect(r.calls).not.toContain('passOn');
  });
});

describe('answers core decides', () => {
  it('an oversize body (declared or read) is answered 413 with the connection closed and the rest discarded', async () => {
    const processor = createWebhookProcessor({ secret: SECRET, maxBodyBytes: 10 }, actions);
    const declared = request({ ...(await signed()), headers: { 'content-type': 'application/json', 'content-length': '500' } });
    expect(await processor.handle(declared)).toBe('answered 413');
    expect(declared.calls).toEqual(['answer 413 discardBody connection:close']);
    const read = request(await signed());
    await processor.handle(read);
    expect(read.calls).toEqual(['readBody', 'answer 413 discardBody connection:close']);
    // any other failure keeps the connection
    const wrong = request({ ...(await signed()), headers: { 'content-type': 'application/json' } });
    expect(await createWebhookProcessor({ secret: SECRET }, actions).handle(wrong)).toBe('answered 400');
    expect(wrong.calls).toEqual(['readBody', 'answer 400']);
  });

  it('a failure the framework found itself (answerFailure) gives onError the first word', async () => {
    const seen: string[] = [];
    const processor = createWebhookProcessor({ secret: SECRET, onError: (error) => void seen.push(error.code) }, actions);
    const r = request(await signed());
    expect(await processor.answerFailure(r, new WebhookSignatureVerificationError('too large', 'payload_too_large'))).toBe('answered 413');
    expect(seen).toEqual(['payload_too_large']);
    expect(r.calls).toEqual(['answer 413 discardBody connection:close']);
  });

  it('attaches the verified event branded, before the route runs', async () => {
    const processor = createWebhookProcessor({ secret: SECRET }, actions);
    const r = request(await signed(), () => 200);
    await processor.handle(r);
    expect(r.calls).toEqual(['readBody', 'attachEvent', 'passOn']);
    expect(isBrandedAttachment(r.event)).toBe(true);
    expect(Object.keys(r.event!)).not.toContain('knoxcall.adapter'); // invisible to JSON and keys
    expect(JSON.parse(JSON.stringify(r.event)).event).toBe('request.success');
  });
});
