/**
 * The replay rule of core's webhook processor, which every adapter inherits: an in-progress
 * lease is never acknowledged (409 + Retry-After), only a delivery whose handlers succeeded
 * answers 200 duplicate, and a replay store that fails or stalls costs a bounded, retryable
 * 503 — with the in-memory store, a never-settling custom store, and a real ioredis client
 * talking to a TCP server that accepts and never answers.
 */
import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';
import { signWebhook } from '@knoxcall/testing/signer';
import IORedis from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { KnoxWebhookCoreOptions, ReplayStore } from '../src/adapter/index.js';
import { type RecordedOutcome, type RecordingProcessor, recordingProcessor, useBodyRead } from './webhook-actions-recorder.js';
import { MemoryReplayStore, RedisReplayStore } from '../src/webhooks/index.js';

const SECRET = 'whsec_replay_rule';
const encoder = new TextEncoder();

function envelope(): string {
  return JSON.stringify({ event: 'request.success', timestamp: new Date().toISOString(), data: { n: Math.random() } }, null, 2);
}

async function delivery(body = envelope()): Promise<{ body: string; headers: Record<string, string> }> {
  const signed = await signWebhook({ body, secret: SECRET, format: 'legacy' });
  const headers = Object.fromEntries(Object.entries(signed).map(([name, value]) => [name.toLowerCase(), value]));
  return { body, headers: { 'content-type': 'application/json', ...headers } };
}

type Processor = RecordingProcessor<undefined, []>;

function send(processor: Processor, d: { body: string; headers: Record<string, string> }): Promise<RecordedOutcome> {
  return processor.process({
    ctx: undefined,
    headers: d.headers,
    readBody: () => encoder.encode(d.body),
    args: [],
    isAnswered: () => false,
  });
}

/** A handler that waits until the test lets it finish (or fail). */
function gate(): { wait: () => Promise<void>; started: Promise<void>; pass: () => void; fail: (e: Error) => void } {
  let onStart!: () => void;
  const started = new Promise<void>((resolve) => {
    onStart = resolve;
  });
  let pass!: () => void;
  let fail!: (e: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    pass = resolve;
    fail = reject;
  });
  return {
    started,
    pass,
    fail,
    wait: () => {
      onStart();
      return done;
    },
  };
}

const processorOf = (options: KnoxWebhookCoreOptions<undefined, []>): Processor => recordingProcessor(options);

// The same replay decisions whether the body is there at once or streams in.
describe.each(['at once', 'later'] as const)('in progress is not done (body read %s)', (entry) => {
  beforeEach(() => useBodyRead(entry));

  it('a retry during processing gets 409 delivery_in_progress with Retry-After; the handler runs once', async () => {
    const g = gate();
    let runs = 0;
    const processor = processorOf({
      secret: SECRET,
      replayStore: new MemoryReplayStore(),
      replayLeaseSeconds: 30,
      on: {
        '*': () => {
          runs++;
          return g.wait();
        },
      },
    });
    const d = await delivery();
    const first = send(processor, d);
    await g.started;
    const retry = await send(processor, d);
    expect(retry).toMatchObject({ kind: 'respond', status: 409, body: { error: { type: 'delivery_in_progress' } }, headers: { 'retry-after': '30' } });
    g.pass();
    expect(await first).toMatchObject({ kind: 'respond', status: 200, body: { received: true } });
    // only now, after the handlers succeeded, is the delivery a duplicate
    expect(await send(processor, d)).toMatchObject({ status: 200, body: { received: true, duplicate: true } });
    expect(runs).toBe(1);
  });

  it('a handler failing after a concurrent retry: the retry was not 2xx, and the next retry is processed', async () => {
    const g = gate();
    let runs = 0;
    const processor = processorOf({ secret: SECRET, replayStore: new MemoryReplayStore(), on: { '*': () => (runs++ === 0 ? g.wait() : undefined) } });
    const d = await delivery();
    const first = send(processor, d);
    await g.started;
    const concurrent = await send(processor, d);
    expect(concurrent.kind === 'respond' && concurrent.status).toBe(409);
    g.fail(new Error('database down'));
    expect(await first).toMatchObject({ status: 500, body: { error: { type: 'handler_failed' } } });
    expect(await send(processor, d)).toMatchObject({ status: 200, body: { received: true } });
    expect(runs).toBe(2);
  });

  it("without `on`: the route handler's result decides (finishReplay), and releaseReplay still releases", async () => {
    const processor = processorOf({ secret: SECRET, replayStore: new MemoryReplayStore() });
    const d = await delivery();
    const first = await send(processor, d);
    if (first.kind !== 'next') throw new Error(`expected next, got ${first.kind}`);
    expect(await send(processor, d)).toMatchObject({ status: 409 });
    await first.finishReplay(false);
    const second = await send(processor, d);
    if (second.kind !== 'next') throw new Error(`expected next, got ${second.kind}`);
    await second.finishReplay(true);
    expect(await send(processor, d)).toMatchObject({ status: 200, body: { received: true, duplicate: true } });
    const other = await send(processor, await delivery());
    if (other.kind !== 'next') throw new Error('expected next');
    await other.releaseReplay();
    await other.finishReplay(true); // a second report is ignored: finished once
    expect((await send(processor, await delivery())).kind).toBe('next');
  });

  it('onError may answer a 409 itself', async () => {
    const g = gate();
    const seen: string[] = [];
    const processor = processorOf({
      secret: SECRET,
      replayStore: new MemoryReplayStore(),
      on: { '*': () => g.wait() },
      onError: (error) => void seen.push(error.code),
    });
    const d = await delivery();
    const first = send(processor, d);
    await g.started;
    await send(processor, d);
    g.pass();
    await first;
    expect(seen).toEqual(['delivery_in_progress']);
  });
});

/** A store whose every promise never settles (a custom store with a lost connection). */
const neverSettling: ReplayStore = {
  begin: () => new Promise(() => {}),
  complete: () => new Promise(() => {}),
  release: () => new Promise(() => {}),
};

describe.each(['at once', 'later'] as const)('a replay store that stalls or refuses (body read %s)', (entry) => {
  beforeEach(() => useBodyRead(entry));

  it('never settling: 503 replay_store_unavailable with Retry-After within the deadline; no handler runs', async () => {
    let runs = 0;
    const processor = processorOf({ secret: SECRET, replayStore: neverSettling, replayStoreTimeoutMs: 150, on: { '*': () => void runs++ } });
    const started = Date.now();
    const outcome = await send(processor, await delivery());
    expect(Date.now() - started).toBeLessThan(1000);
    expect(outcome).toMatchObject({ kind: 'respond', status: 503, body: { error: { type: 'replay_store_unavailable' } }, headers: { 'retry-after': '5' } });
    expect(runs).toBe(0);
  });

  it('the default deadline bounds a stalled store too (2 s)', async () => {
    const processor = processorOf({ secret: SECRET, replayStore: neverSettling, on: { '*': () => {} } });
    const started = Date.now();
    expect(await send(processor, await delivery())).toMatchObject({ status: 503 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('gives the store a signal that aborts at the deadline', async () => {
    let signal: AbortSignal | undefined;
    const store: ReplayStore = {
      begin: (_key, _lease, options) => {
        signal = options?.signal;
        return new Promise(() => {});
      },
      complete: async () => {},
      release: async () => {},
    };
    await send(processorOf({ secret: SECRET, replayStore: store, replayStoreTimeoutMs: 50, on: {} }), await delivery());
    expect(signal?.aborted).toBe(true);
  });

  it('refusing (rejecting, or throwing synchronously, or answering nonsense): 503, not 500', async () => {
    const refusing: ReplayStore[] = [
      { begin: () => Promise.reject(new Error('ECONNREFUSED')), complete: async () => {}, release: async () => {} },
      {
        begin: () => {
          throw new Error('sync');
        },
        complete: async () => {},
        release: async () => {},
      },
      { begin: async () => true as never, complete: async () => {}, release: async () => {} },
    ];
    for (const replayStore of refusing) {
      const outcome = await send(processorOf({ secret: SECRET, replayStore, on: { '*': () => {} } }), await delivery());
      expect(outcome).toMatchObject({ status: 503, body: { error: { type: 'replay_store_unavailable' } } });
    }
  });

  it('a stalled `complete` after the handlers succeeded still answers 200 within the deadline', async () => {
    const store: ReplayStore = { begin: async () => 'claimed', complete: () => new Promise(() => {}), release: async () => {} };
    const outcome = await send(processorOf({ secret: SECRET, replayStore: store, replayStoreTimeoutMs: 100, on: { '*': () => {} } }), await delivery());
    expect(outcome).toMatchObject({ status: 200, body: { received: true } });
  });

  describe('a real ioredis client whose Redis accepts the connection and never answers', () => {
    let server: Server;
    const sockets: Socket[] = [];
    let redis: IORedis;
    beforeAll(async () => {
      server = createServer((socket) => {
        sockets.push(socket); // read nothing, answer nothing: a black hole
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      redis = new IORedis({ port: (server.address() as AddressInfo).port, host: '127.0.0.1', lazyConnect: false });
    });
    afterAll(async () => {
      redis.disconnect();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('answers 503 within replayStoreTimeoutMs, every time', async () => {
      const processor = processorOf({
        secret: SECRET,
        replayStore: new RedisReplayStore({ client: redis }),
        replayStoreTimeoutMs: 300,
        on: { '*': () => {} },
      });
      for (let i = 0; i < 3; i++) {
        const started = Date.now();
        expect(await send(processor, await delivery())).toMatchObject({ status: 503, body: { error: { type: 'replay_store_unavailable' } } });
        expect(Date.now() - started).toBeLessThan(1500);
      }
    });
  });
});

describe('the replay-store interface at start-up', () => {
  beforeEach(() => useBodyRead('at once'));

  it('refuses a store of the earlier claim/release interface, naming what to add', () => {
    const old = { claim: async () => true, release: async () => {} };
    expect(() => processorOf({ secret: SECRET, replayStore: old as never })).toThrow(
      /earlier claim\/release interface.*add begin\(key, leaseSeconds\) and complete\(key, ttlSeconds\)/,
    );
    expect(() => processorOf({ secret: SECRET, replayStore: {} as never })).toThrow(/needs begin\(key, leaseSeconds\), complete/);
  });

  it('refuses a nonsensical lease or deadline', () => {
    expect(() => processorOf({ secret: SECRET, replayLeaseSeconds: 0 })).toThrow('`replayLeaseSeconds` must be a positive number, got 0');
    expect(() => processorOf({ secret: SECRET, replayStoreTimeoutMs: Number.NaN })).toThrow('`replayStoreTimeoutMs` must be a positive');
  });
});
