import type { ExecutionContext } from '@nestjs/common';
import type { KnoxWebhookEvent, WebhookProcessor, WebhookReceivedBody } from '@knoxcall/core/adapter';
import { KnoxWebhookDuplicateException, KnoxWebhookException } from './exceptions.js';
import type { KnoxHttpRequest } from './module-options.js';
import { readNestRawBody } from './raw-body.js';
import { webhookHeadersOf } from './webhook-body.js';

/** Where the guard keeps the verified event and, for the module's controller, the answer (process-wide symbols). */
const KNOX_EVENT = Symbol.for('knoxcall.nest.event');
const KNOX_ANSWER = Symbol.for('knoxcall.nest.webhookAnswer');

/** The Node request/response under Express's objects or Fastify's `request.raw` / `reply.raw`. */
interface NodeStreams {
  request: { readableEnded?: boolean; resume?: () => void } | undefined;
  response: { statusCode: number; once(event: 'finish' | 'close', listener: () => void): unknown; setHeader(name: string, value: string): unknown } | undefined;
}

/**
 * Runs one delivery through the core webhook processor inside a guard. Failures are thrown
 * as KnoxWebhookException (contract status and body); success attaches the event for
 * `@KnoxEvent()` and lets the handler run. `answersItself` is the module's own controller,
 * whose processor ran the `@OnKnoxEvent` handlers and whose answer the controller returns.
 */
export async function guardDelivery(
  processor: WebhookProcessor<KnoxHttpRequest, []>,
  context: ExecutionContext,
  answersItself: boolean,
): Promise<boolean> {
  const http = context.switchToHttp();
  const req = http.getRequest<KnoxHttpRequest>();
  const streams = nodeStreamsOf(req, http.getResponse<unknown>());
  const outcome = await processor.process({
    ctx: req,
    headers: webhookHeadersOf(req),
    readBody: (limit) => readNestRawBody(req, limit),
    args: [],
    // Handlers here get only the event: nothing but the guard's caller can answer.
    isAnswered: () => false,
  });

  if (outcome.kind === 'next') {
    setEvent(req, outcome.event);
    // The route's handler answers: below 500 the delivery is processed (done); a 5xx, or a
    // connection closed before any answer, releases the lease so KnoxCall's retry is run.
    const response = streams.response;
    if (response === undefined) void outcome.finishReplay(true);
    else {
      response.once('finish', () => void outcome.finishReplay(response.statusCode < 500));
      response.once('close', () => void outcome.finishReplay(false)); // after 'finish' this is ignored
    }
    return true;
  }
  if (outcome.event !== undefined) setEvent(req, outcome.event);
  if (outcome.kind === 'answered') return true;
  if (outcome.error !== undefined) {
    if (outcome.error.code === 'payload_too_large' && streams.request !== undefined && streams.request.readableEnded === false) {
      // The rest of an oversize body is still on the wire: close the connection after the
      // answer instead of reading it, and drop what arrives meanwhile.
      streams.response?.setHeader('Connection', 'close');
      streams.request.resume?.();
    }
    for (const [name, value] of Object.entries(outcome.headers ?? {})) streams.response?.setHeader(name, value);
    throw new KnoxWebhookException(outcome.error, { status: outcome.status, body: outcome.body as never });
  }
  if (answersItself) {
    (req as unknown as Record<symbol, unknown>)[KNOX_ANSWER] = outcome.body;
    return true;
  }
  // Only a replayed delivery is answered before a route's own handler: without running it.
  throw new KnoxWebhookDuplicateException();
}

/** What the module's webhook controller answers: what its guard decided (200 `{ received: true }`). */
export function webhookAnswerOf(req: KnoxHttpRequest): WebhookReceivedBody {
  const answer = (req as unknown as Record<symbol, unknown>)[KNOX_ANSWER];
  return (answer as WebhookReceivedBody | undefined) ?? { received: true };
}

export function verifiedEventOf(req: KnoxHttpRequest): KnoxWebhookEvent | undefined {
  return (req as unknown as Record<symbol, unknown>)[KNOX_EVENT] as KnoxWebhookEvent | undefined;
}

function setEvent(req: KnoxHttpRequest, event: KnoxWebhookEvent): void {
  (req as unknown as Record<symbol, unknown>)[KNOX_EVENT] = event;
}

function nodeStreamsOf(req: KnoxHttpRequest, res: unknown): NodeStreams {
  const rawReq = (req as { raw?: unknown }).raw ?? req;
  const rawRes = typeof res === 'object' && res !== null ? ((res as { raw?: unknown }).raw ?? res) : undefined;
  return {
    request: rawReq as NodeStreams['request'],
    response: typeof (rawRes as { once?: unknown } | undefined)?.once === 'function' ? (rawRes as NodeStreams['response']) : undefined,
  };
}
