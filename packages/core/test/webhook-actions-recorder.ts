/**
 * A table of webhook actions that records what core's processor told it to do, for the core
 * tests of the reply rule (the adapters' own tests drive real apps). A delivery is described
 * the way an adapter sees one — its context, headers, body reader, handler arguments, and
 * whether something answered — and the processor's decision comes back as a record:
 * - `respond`: it called `answer` (status, body, headers, whether to discard the body);
 * - `answered`: a handler or `onError` answered itself, so nothing more was sent;
 * - `next`: it passed the delivery on; `finishReplay(succeeded)` stands for the route ending
 *   with 200 or 500, `releaseReplay()` for the connection closing before any answer.
 */
import {
  type KnoxWebhookCoreOptions,
  type KnoxWebhookError,
  type KnoxWebhookEvent,
  type ReceivedHeaders,
  type RouteWatch,
  type WebhookActions,
  type WebhookErrorBody,
  type WebhookProcessor,
  type WebhookProcessorSetup,
  type WebhookReceivedBody,
  createWebhookProcessor,
} from '../src/adapter/index.js';

export interface FakeDelivery<Ctx, Args extends unknown[]> {
  ctx: Ctx;
  headers: ReceivedHeaders;
  readBody: (maxBodyBytes: number) => Uint8Array | Promise<Uint8Array>;
  args: Args;
  isAnswered: () => boolean;
  /** Receives what each handler and `onError` returned. */
  answerWith?: (result: unknown) => void;
  attach?: (event: KnoxWebhookEvent) => void;
  /** Set by the table when the processor attached the event. */
  event?: KnoxWebhookEvent;
}

export type RecordedOutcome =
  | {
      kind: 'respond';
      status: number;
      body: WebhookErrorBody | WebhookReceivedBody;
      headers?: Readonly<Record<string, string>>;
      discardBody: boolean;
      event?: KnoxWebhookEvent;
      error?: KnoxWebhookError;
    }
  | { kind: 'answered'; event?: KnoxWebhookEvent }
  | { kind: 'next'; event: KnoxWebhookEvent; route: RouteWatch; finishReplay: (succeeded: boolean) => Promise<void>; releaseReplay: () => Promise<void> };

type Delivery = FakeDelivery<unknown, unknown[]>;

const recordingActions: WebhookActions<Delivery, unknown, unknown[], RecordedOutcome> = {
  headers: (d) => d.headers,
  // 'later': the body arrives after a microtask turn, as from a stream, so every step after it runs in the promise.
  readBody: (d, maxBodyBytes) => (bodyRead === 'later' ? Promise.resolve().then(() => d.readBody(maxBodyBytes)) : d.readBody(maxBodyBytes)),
  secretContext: (d) => d.ctx,
  callHandler: (d, handler, first) => handler(first, ...d.args),
  attachEvent(d, event) {
    d.event = event;
    d.attach?.(event);
  },
  answeredBy(d, returned) {
    d.answerWith?.(returned);
    return d.isAnswered();
  },
  answer: (d, reply) => ({
    kind: 'respond',
    status: reply.status,
    body: reply.body,
    ...(reply.headers !== undefined ? { headers: reply.headers } : {}),
    discardBody: reply.discardBody,
    event: d.event,
    error: reply.error,
  }),
  passOn: (d, route) => ({
    kind: 'next',
    event: d.event!,
    route,
    finishReplay: (succeeded) => route.ended(succeeded ? 200 : 500),
    releaseReplay: () => route.ended('closed'),
  }),
};

export interface RecordingProcessor<Ctx, Args extends unknown[]> {
  process(delivery: FakeDelivery<Ctx, Args>): Promise<RecordedOutcome>;
  readonly processor: WebhookProcessor<FakeDelivery<Ctx, Args>, RecordedOutcome>;
}

/**
 * When the recording table's body read answers: `'at once'` (a framework that read the body
 * already; with node:crypto, a static secret and synchronous handlers the processor then
 * answers without making a promise) or `'later'` (a body that streams in). Tests of the
 * reply rule run once each (`useBodyRead` in a beforeEach): the same decisions either way.
 */
export type BodyRead = 'at once' | 'later';
let bodyRead: BodyRead = 'at once';

export function useBodyRead(which: BodyRead): void {
  bodyRead = which;
}

/** Core's processor over the recording table; `process` turns "answered itself" into an `answered` record. */
export function recordingProcessor<Ctx, Args extends unknown[]>(
  options: KnoxWebhookCoreOptions<Ctx, Args>,
  setup?: WebhookProcessorSetup,
): RecordingProcessor<Ctx, Args> {
  const table = recordingActions as unknown as WebhookActions<FakeDelivery<Ctx, Args>, Ctx, Args, RecordedOutcome>;
  const processor = createWebhookProcessor(options, table, setup);
  return {
    processor,
    async process(delivery) {
      return (await processor.handle(delivery)) ?? { kind: 'answered', event: delivery.event };
    },
  };
}
