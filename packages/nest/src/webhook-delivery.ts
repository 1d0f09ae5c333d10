import type { ExecutionContext } from '@nestjs/common';
import {
  type EndingResponse,
  type KnoxWebhookEvent,
  type WebhookActions,
  type WebhookProcessor,
  type WebhookReceivedBody,
  reportWhenResponseEnds,
} from '@knoxcall/core/adapter';
import { KnoxWebhookDuplicateException, KnoxWebhookException } from './exceptions.js';
import type { KnoxHttpRequest } from './module-options.js';
import { readNestRawBody } from './raw-body.js';
import { webhookHeadersOf } from './webhook-body.js';

/** Where the guard keeps the verified event and, for the module's controller, the answer (process-wide symbols). */
const KNOX_EVENT = Symbol.for('knoxcall.nest.event');
const KNOX_ANSWER = Symbol.for('knoxcall.nest.webhookAnswer');

/** The Node request under Express's `req` or Fastify's `request.raw`. */
interface NodeRequest {
  resume?: () => void;
}
/** The Node response under Express's `res` or Fastify's `reply.raw`. */
interface NodeResponse extends EndingResponse {
  setHeader(name: string, value: string): unknown;
}

/** The webhook processor of a guard: the per-request state is the guard's execution context. */
export type NestWebhookProcessor = WebhookProcessor<ExecutionContext, boolean>;
type NestActions = WebhookActions<ExecutionContext, KnoxHttpRequest, [], boolean>;

/**
 * Runs one delivery through core's webhook processor inside a guard. Failures are thrown as
 * KnoxWebhookException (contract status and body); success attaches the event for
 * `@KnoxEvent()` and lets the handler run.
 */
export async function guardDelivery(processor: NestWebhookProcessor, context: ExecutionContext): Promise<boolean> {
  // Handlers here never answer themselves (see answeredBy): the processor always decides.
  return (await processor.handle(context)) ?? true;
}

/**
 * What Nest calls each action of core's webhook processor, for a guard in front of the app's
 * own handler (`@KnoxWebhook()`): passing on means letting that handler run.
 */
export const guardActions: NestActions = {
  headers: (context) => webhookHeadersOf(requestOf(context)),
  readBody: (context, maxBodyBytes) => readNestRawBody(requestOf(context), maxBodyBytes),
  secretContext: (context) => requestOf(context),
  callHandler: (_context, handler, first) => handler(first),
  attachEvent(context, event) {
    (requestOf(context) as unknown as Record<symbol, unknown>)[KNOX_EVENT] = event;
  },
  // Handlers here get only the event: nothing but the guard's caller can answer.
  answeredBy: () => false,
  answer(context, reply) {
    const response = nodeResponseOf(context);
    if (reply.discardBody) nodeRequestOf(context).resume?.();
    if (reply.headers !== undefined) for (const [name, value] of Object.entries(reply.headers)) response?.setHeader(name, value);
    if (reply.error !== undefined) throw new KnoxWebhookException(reply.error, reply as never);
    // Only a replayed delivery is answered before a route's own handler: without running it.
    throw new KnoxWebhookDuplicateException();
  },
  passOn(context, route) {
    const response = nodeResponseOf(context);
    if (response === undefined) void route.ended(200);
    else reportWhenResponseEnds(response, route);
    return true;
  },
};

/**
 * The same for the module's own webhook controller, whose processor ran the `@OnKnoxEvent`
 * handlers: its answer is kept for the controller method to return.
 */
export const moduleControllerActions: NestActions = {
  ...guardActions,
  answer(context, reply) {
    if (reply.error !== undefined) return guardActions.answer(context, reply);
    (requestOf(context) as unknown as Record<symbol, unknown>)[KNOX_ANSWER] = reply.body;
    return true;
  },
};

/** What the module's webhook controller answers: what its guard decided (200 `{ received: true }`). */
export function webhookAnswerOf(req: KnoxHttpRequest): WebhookReceivedBody {
  const answer = (req as unknown as Record<symbol, unknown>)[KNOX_ANSWER];
  return (answer as WebhookReceivedBody | undefined) ?? { received: true };
}

export function verifiedEventOf(req: KnoxHttpRequest): KnoxWebhookEvent | undefined {
  return (req as unknown as Record<symbol, unknown>)[KNOX_EVENT] as KnoxWebhookEvent | undefined;
}

// The HTTP arguments are [request, response, next]; switchToHttp() would allocate accessor closures.
function requestOf(context: ExecutionContext): KnoxHttpRequest {
  return context.getArgByIndex<KnoxHttpRequest>(0);
}

function nodeRequestOf(context: ExecutionContext): NodeRequest {
  const req = requestOf(context);
  return ((req as { raw?: unknown }).raw ?? req) as NodeRequest;
}

function nodeResponseOf(context: ExecutionContext): NodeResponse | undefined {
  const res: unknown = context.getArgByIndex(1);
  const raw = typeof res === 'object' && res !== null ? ((res as { raw?: unknown }).raw ?? res) : undefined;
  return typeof (raw as { once?: unknown } | undefined)?.once === 'function' ? (raw as NodeResponse) : undefined;
}
