import { type NodeRequestStream, keptBodyWithin, rawBodyUnavailableError, readUnconsumedBody } from '@knoxcall/core/adapter';
import type { KnoxHttpRequest } from './module-options.js';
import { readWebhookBodyOf } from './webhook-body.js';

export const NEST_RAW_BODY_FIX =
  'Create the app with raw bodies kept: NestFactory.create(AppModule, { rawBody: true }) ' +
  '(for tests: Test.createTestingModule(...).compile() then moduleRef.createNestApplication({ rawBody: true })), ' +
  "on Express and on Fastify alike; @KnoxWebhook() then verifies req.rawBody. Or read the webhook route's body before Nest's parsers: " +
  "useKnoxWebhookBody(app, '/your/webhook/path') from @knoxcall/nest, before app.listen().";

/**
 * The exact bytes of the request body: those `useKnoxWebhookBody()` read before any parser,
 * `req.rawBody` as Nest keeps it with `{ rawBody: true }`,
 * or, when no parser read the stream (a content type Nest's parser skips, `bodyParser: false`),
 * the stream itself. When a parser consumed the body without keeping it, this fails at once
 * with `raw_body_unavailable` naming the fix — it never re-serializes `req.body`.
 */
export async function readNestRawBody(req: KnoxHttpRequest, maxBodyBytes: number): Promise<Uint8Array> {
  const read = readWebhookBodyOf(req); // useKnoxWebhookBody() ran
  if (read?.error !== undefined) throw read.error;
  const kept = read?.bytes ?? req.rawBody;
  if (kept instanceof Uint8Array) return keptBodyWithin(kept, maxBodyBytes);
  const stream = nodeStreamOf(req);
  // Fastify's parsers always read the whole stream: a parsed body leaves nothing to read.
  if (stream === undefined || fastifyParsedBody(req)) throw rawBodyUnavailableError(NEST_RAW_BODY_FIX);
  return readUnconsumedBody(stream, maxBodyBytes, NEST_RAW_BODY_FIX);
}

/** What the guard may find on the request: Express's `req` is the Node stream, Fastify's `request.raw` is. */
function nodeStreamOf(req: KnoxHttpRequest): NodeRequestStream | undefined {
  const raw = (req as { raw?: unknown }).raw; // a FastifyRequest
  const candidate = (typeof raw === 'object' && raw !== null ? raw : req) as Partial<NodeRequestStream>;
  return typeof candidate.on === 'function' && typeof candidate.pause === 'function' ? (candidate as NodeRequestStream) : undefined;
}

function fastifyParsedBody(req: KnoxHttpRequest): boolean {
  const raw = (req as { raw?: unknown }).raw;
  const body = (req as { body?: unknown }).body;
  return typeof raw === 'object' && raw !== null && body !== undefined && body !== null;
}
