import { DEFAULT_REPLAY_STORE_TIMEOUT_MS, type ReplayStore } from '@knoxcall/core/adapter';
import { signWebhook } from '@knoxcall/testing/signer';
import { afterAll, describe, expect, it } from 'vitest';
import { useApp } from './app-fixture.js';
import { errorTypeOf } from './error-code.js';
import { type Answer, SECRET, envelopeBody, nowSeconds, post, signedDelivery } from './deliveries.js';
import { RecordingReplayStore } from './recording-replay-store.js';
import { type StalledRedis, startStalledRedis } from './stalled-redis.js';
import { type AdapterUnderTest, CONTRACT_PATHS } from './types.js';

/**
 * "Fast" for a replay store that never answers: below core's default deadline by a margin,
 * so only the case's own short deadline (200–300 ms) can meet it. A bound equal to the
 * default could not tell the two apart — a remote app that had dropped the case's deadline
 * waited the default out and missed it by 9 ms, which read as slowness, not as the bug it
 * was. What is left above the case's deadline covers a hop to an app in another process.
 */
const FAST_MS = DEFAULT_REPLAY_STORE_TIMEOUT_MS - 500;

/** A delivery body no other case sends (equal bytes are the same delivery to a replay store). */
const uniqueBody = (): string => envelopeBody('request.success', { data: { delivery: crypto.randomUUID() } });

/** A handler run the test holds open until it lets it pass or fail. */
class HeldRun {
  private release!: (error?: Error) => void;
  private readonly startedSignal: Promise<void>;
  private onStart!: () => void;
  constructor() {
    this.startedSignal = new Promise((resolve) => {
      this.onStart = resolve;
    });
  }
  get started(): Promise<void> {
    return this.startedSignal;
  }
  hold(): Promise<void> {
    this.onStart();
    return new Promise((resolve, reject) => {
      this.release = (error) => (error === undefined ? resolve() : reject(error));
    });
  }
  pass(): void {
    this.release();
  }
  fail(error: Error): void {
    this.release(error);
  }
}

function expectRetryLater(adapter: AdapterUnderTest, answer: Answer, status: number, code: string): void {
  expect(answer.status, answer.text).toBe(status);
  expect(errorTypeOf(adapter, answer.body)).toBe(code);
  expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
}

/**
 * Delivery guarantees (replay store): a retry meeting a delivery still in progress gets a
 * retryable 409 — never a 2xx — and only a delivery whose handlers succeeded is answered 200
 * duplicate; the replay key is what the sender signed; a replay store that stalls or refuses
 * gets a fast 503 with Retry-After.
 */
export function deliveryGuaranteeCases(adapter: AdapterUnderTest): void {
  const url = (app: { url: string }) => app.url + CONTRACT_PATHS.webhook;

  describe('a retry while the first attempt still runs', () => {
    const runs: HeldRun[] = [];
    let next = 0;
    const app = useApp(adapter, () => ({
      webhook: {
        secret: SECRET,
        replayStore: new RecordingReplayStore(),
        replayLeaseSeconds: 30,
        on: { 'request.success': () => runs[next++]?.hold() },
      },
    }));

    it('gets 409 delivery_in_progress with Retry-After; after success the delivery answers 200 duplicate', async () => {
      const held = new HeldRun();
      runs.push(held);
      const delivery = await signedDelivery(uniqueBody());
      const first = post(url(app), delivery);
      await held.started;
      expectRetryLater(adapter, await post(url(app), delivery), 409, 'delivery_in_progress');
      held.pass();
      expect((await first).status).toBe(200);
      const replay = await post(url(app), delivery);
      expect(replay.status).toBe(200);
      expect(replay.body).toEqual({ received: true, duplicate: true });
      expect(next).toBe(1);
    });

    it('when the first attempt then fails, the concurrent retry was not 2xx and the next retry is processed', async () => {
      const held = new HeldRun();
      const retried = new HeldRun();
      runs.push(held, retried);
      const delivery = await signedDelivery(uniqueBody());
      const first = post(url(app), delivery);
      await held.started;
      const concurrent = await post(url(app), delivery);
      expectRetryLater(adapter, concurrent, 409, 'delivery_in_progress');
      held.fail(new Error('database down'));
      expect((await first).status).toBe(500);
      const retry = post(url(app), delivery);
      await retried.started;
      retried.pass();
      expect((await retry).status).toBe(200);
      expect((await retry).body).toEqual({ received: true });
    });
  });

  describe('a rotation delivery (two v1 signatures) replayed with one v1 removed', () => {
    let runs = 0;
    const app = useApp(adapter, () => ({
      webhook: {
        secret: ['whsec_rotating_old', SECRET],
        format: 'stripe',
        replayStore: new RecordingReplayStore(),
        on: { '*': () => void runs++ },
      },
    }));

    it('runs the handler once: the replay key is what was signed, not which signature matched', async () => {
      const body = uniqueBody();
      const timestamp = nowSeconds();
      const v1Of = async (secret: string) => (await signWebhook({ body, secret, format: 'stripe', timestamp }))['Stripe-Signature']!.split(',')[1]!;
      const [oldV1, newV1] = [await v1Of('whsec_rotating_old'), await v1Of(SECRET)];
      const send = (signature: string) =>
        post(url(app), { body, headers: { 'content-type': 'application/json', 'Stripe-Signature': `t=${timestamp},${signature}` } });
      const first = await send(`${oldV1},${newV1}`);
      expect(first.status, first.text).toBe(200);
      for (const signature of [newV1, oldV1]) {
        const replay = await send(signature);
        expect(replay.status).toBe(200);
        expect(replay.body).toEqual({ received: true, duplicate: true });
      }
      expect(runs).toBe(1);
    });
  });

  describe('a replay store that never settles', () => {
    let runs = 0;
    const neverSettling: ReplayStore = {
      begin: () => new Promise(() => {}),
      complete: () => new Promise(() => {}),
      release: () => new Promise(() => {}),
    };
    const app = useApp(adapter, () => ({
      webhook: { secret: SECRET, replayStore: neverSettling, replayStoreTimeoutMs: 200, on: { '*': () => void runs++ } },
    }));
    it('→ 503 replay_store_unavailable with Retry-After, fast, without running the handler', async () => {
      const started = Date.now();
      const answer = await post(url(app), await signedDelivery(uniqueBody()));
      expect(Date.now() - started).toBeLessThan(FAST_MS);
      expectRetryLater(adapter, answer, 503, 'replay_store_unavailable');
      expect(runs).toBe(0);
    });
  });

  describe('a replay store that refuses (rejects)', () => {
    const refusing: ReplayStore = {
      begin: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')),
      complete: async () => {},
      release: async () => {},
    };
    const app = useApp(adapter, () => ({ webhook: { secret: SECRET, replayStore: refusing, on: { '*': () => {} } } }));
    it('→ 503 replay_store_unavailable with Retry-After (never a 500), without the cause in the answer', async () => {
      const answer = await post(url(app), await signedDelivery(uniqueBody()));
      expectRetryLater(adapter, answer, 503, 'replay_store_unavailable');
      expect(answer.text).not.toContain('ECONNREFUSED');
    });
  });

  describe('a RedisReplayStore whose Redis stalls (TCP accepted, never answered)', () => {
    let redis: StalledRedis | undefined;
    afterAll(async () => {
      await redis?.close();
    });
    const app = useApp(adapter, async () => {
      const { RedisReplayStore } = await import('@knoxcall/core/webhooks');
      redis = await startStalledRedis();
      const replayStore = new RedisReplayStore({ client: redis.client });
      return { webhook: { secret: SECRET, replayStore, replayStoreRedis: redis.address, replayStoreTimeoutMs: 300, on: { '*': () => {} } } };
    });
    it('→ 503 replay_store_unavailable within the deadline, for every delivery', async () => {
      for (let i = 0; i < 2; i++) {
        const started = Date.now();
        const answer = await post(url(app), await signedDelivery(uniqueBody()));
        expect(Date.now() - started).toBeLessThan(FAST_MS);
        expectRetryLater(adapter, answer, 503, 'replay_store_unavailable');
      }
      expect(redis?.connections()).toBeGreaterThan(0); // stalled, not refused: the client got through
    });
  });
}
