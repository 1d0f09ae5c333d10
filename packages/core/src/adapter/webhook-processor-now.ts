/**
 * The webhook processor for frameworks whose route may answer with a value as well as a
 * promise (Fastify). `handleNow` takes the common delivery — the body already read by the
 * framework, an accepted Content-Type and no Content-Encoding, a static secret — through
 * verification, the `on` handlers and the answer without making a promise, when every step
 * answers at once (on Node: node:crypto, no replay store, synchronous handlers). Each `await`
 * of an already settled value would cost a microtask turn, and the route's promise one more.
 *
 * Every other delivery, and every failure, is handed to the promise-based processor
 * (webhook-processor.ts), which owns those rules; it is also what Web-only adapters use, so
 * their bundles never carry this module.
 */
import { readWebhookHeader, readWebhookHeaderFirstValue, receivedHeaders } from '../http/headers.js';
import { brandAttached } from './brand.js';
import { isAcceptedWebhookContentType } from './content-type.js';
import { assertContentLengthWithin } from './read-body.js';
import { settle } from './settle.js';
import type { KnoxWebhookEvent } from './verify-delivery.js';
import { verifyDelivery, verifyDeliveryWithoutReplayKey } from './verify-delivery.js';
import type { WebhookActions } from './webhook-actions.js';
import { WebhookHandlerError, asWebhookError } from './webhook-errors.js';
import { type KnoxEventHandlers, handlerFor } from './webhook-handlers.js';
import { resolveWebhookOptions } from './webhook-options.js';
import {
  DUPLICATE,
  type DeliveryVerifier,
  type KnoxWebhookCoreOptions,
  RECEIVED,
  type WebhookProcessor,
  type WebhookProcessorSetup,
  createWebhookProcessor,
} from './webhook-processor.js';
import { type ReplayAttempt, beginReplay } from './webhook-replay.js';

export interface WebhookProcessorNow<State, Result> extends WebhookProcessor<State, Result> {
  /**
   * `handle`, answering at once when it can: the route's value, or a throw (what `answer`
   * throws, or the route), when every step answered at once; otherwise a promise of it.
   */
  handleNow(state: State): Result | undefined | Promise<Result | undefined>;
}

/**
 * `createWebhookProcessor` plus `handleNow`. `bodyNow` gives the body when the framework has
 * read it already (within `maxBodyBytes`), without starting a read; undefined sends the
 * delivery through `handle`.
 */
export function createWebhookProcessorNow<State, Ctx, Args extends unknown[], Result>(
  options: KnoxWebhookCoreOptions<Ctx, Args>,
  actions: WebhookActions<State, Ctx, Args, Result>,
  bodyNow: (state: State) => Uint8Array | undefined,
  setup: WebhookProcessorSetup = {},
): WebhookProcessorNow<State, Result> {
  const processor = createWebhookProcessor(options, actions, setup);
  const { secret, on } = options;
  // A secret function is the app's code, called once per delivery: such deliveries take `handle`.
  if (typeof secret === 'function') return { ...processor, handleNow: processor.handle };
  const resolved = resolveWebhookOptions(options, setup.where ?? 'knoxWebhook');
  // The same verifier `handle` uses (see createWebhookProcessor).
  const verify: DeliveryVerifier = setup.verify ?? (resolved.replayStore === undefined ? verifyDeliveryWithoutReplayKey : verifyDelivery);
  const { maxBodyBytes, verifyOptions } = resolved;
  const hasHandlers = on !== undefined && Object.keys(on).length > 0;
  type Answer = Result | undefined | Promise<Result | undefined>;

  function handleNow(state: State): Answer {
    const given = actions.headers(state);
    const headers = receivedHeaders(given);
    const body = bodyNow(state);
    const contentType = readWebhookHeaderFirstValue(headers, 'content-type');
    // Anything but the common delivery is `handle`'s to decide (415s, 413s, codings, reads).
    if (
      body === undefined ||
      contentType === null ||
      !isAcceptedWebhookContentType(contentType) ||
      readWebhookHeader(headers, 'content-encoding') !== undefined
    ) {
      return processor.handle(state);
    }
    try {
      assertContentLengthWithin(readWebhookHeader(headers, 'content-length') ?? undefined, maxBodyBytes);
    } catch {
      return processor.handle(state);
    }
    let verified: ReturnType<DeliveryVerifier>;
    try {
      // The options resolved at setup: the verifier takes them as they are (not checked again).
      verified = verify(body, given, secret as string | readonly string[], verifyOptions as never);
    } catch (error) {
      return processor.answerFailure(state, asWebhookError(error));
    }
    return settle(
      verified,
      (value) => claimAndRun(state, value),
      (error) => processor.answerFailure(state, asWebhookError(error)),
    );
  }

  // From here on, the steps of createWebhookProcessor's `handle` after verification, each
  // continued at once when its value is there (settle.ts); failures are answered by `processor`.
  function claimAndRun(state: State, verified: Awaited<ReturnType<DeliveryVerifier>>): Answer {
    // Branded here for every adapter, so accessors can tell it from a `knoxEvent` set by anything else.
    const event = brandAttached(verified.event);
    actions.attachEvent(state, event);
    return settle(beginReplay(resolved, verified.replayKey, verified.replayTtlSeconds), (attempt): Answer => {
      if (attempt === 'done') return actions.answer(state, DUPLICATE);
      if (!('finish' in attempt)) return processor.answerFailure(state, attempt);
      return hasHandlers ? runHandlersThenAnswer(state, event, attempt) : passOn(state, attempt);
    });
  }

  function runHandlersThenAnswer(state: State, event: KnoxWebhookEvent, attempt: ReplayAttempt): Answer {
    const failed = (cause: unknown): Answer => settle(attempt.finish(false), () => processor.answerFailure(state, new WebhookHandlerError(cause, event.event)));
    let answered: boolean | Promise<boolean>;
    try {
      answered = runHandlers(state, event);
    } catch (cause) {
      return failed(cause);
    }
    return settle(
      answered,
      (handlerAnswered): Answer => {
        if (setup.routeAfterHandlers) return passOn(state, attempt);
        return settle(attempt.finish(true), () => (handlerAnswered ? undefined : actions.answer(state, RECEIVED)));
      },
      failed,
    );
  }

  /** The event's own handler, then `'*'`; true when the last of them answered the request itself. */
  function runHandlers(state: State, event: KnoxWebhookEvent): boolean | Promise<boolean> {
    const handlers = on as KnoxEventHandlers<Args>;
    const runEvery = (answered: boolean): boolean | Promise<boolean> => {
      const every = handlerFor(handlers, '*');
      if (every === undefined) return answered;
      return settle(actions.callHandler(state, every, event), (returned) => actions.answeredBy(state, returned));
    };
    const own = event.event === '*' ? undefined : handlerFor(handlers, event.event);
    if (own === undefined) return runEvery(false);
    return settle(actions.callHandler(state, own, event), (returned) => runEvery(actions.answeredBy(state, returned)));
  }

  function passOn(state: State, attempt: ReplayAttempt): Answer {
    // The route's throw or rejection is reported, then passed on as it is.
    const threw = (error: unknown): Answer =>
      settle(attempt.ended('threw'), () => {
        throw error;
      });
    let passed: Result | Promise<Result>;
    try {
      passed = actions.passOn(state, attempt);
    } catch (error) {
      return threw(error);
    }
    return settle(passed, (value) => value, threw);
  }

  return { ...processor, handleNow };
}
