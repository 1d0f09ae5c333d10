import { payloadTooLargeError, rawBodyUnavailableError, readBodyWithLimit } from '@knoxcall/core/adapter';
import type { KnoxHttpRequest } from './module-options.js';
import { readWebhookBodyOf } from './webhook-body.js';

/** What the guard may find on the request: Express's `req` is the Node stream, Fastify's `request.raw` is. */
interface NodeRequestStream extends AsyncIterable<Uint8Array> {
  readonly readableDidRead?: boolean;
  readonly readableEnded?: boolean;
  readonly complete?: boolean;
  readonly readable?: boolean;
}

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
  if (kept instanceof Uint8Array) {
    if (kept.byteLength > maxBodyBytes) throw payloadTooLargeError(maxBodyBytes);
    return kept;
  }
  const stream = nodeStreamOf(req);
  if (stream === undefined || streamConsumed(stream, req)) throw rawBodyUnavailableError(NEST_RAW_BODY_FIX);
  return readBodyWithLimit(stream, maxBodyBytes);
}

function nodeStreamOf(req: KnoxHttpRequest): NodeRequestStream | undefined {
  const raw = (req as { raw?: unknown }).raw; // a FastifyRequest
  const candidate = (typeof raw === 'object' && raw !== null ? raw : req) as Partial<NodeRequestStream>;
  return typeof candidate[Symbol.asyncIterator] === 'function' ? (candidate as NodeRequestStream) : undefined;
}

function streamConsumed(stream: NodeRequestStream, req: KnoxHttpRequest): boolean {
  if ((req as { body?: unknown }).body !== undefined && (req as { body?: unknown }).body !== null && isFastifyRequest(req)) {
    return true; // Fastify parsed this body (its parsers always read the whole stream)
  }
  return (
    stream.readableDidRead === true ||
    stream.readableEnded === true ||
    (stream.complete === true && stream.readable === false) ||
    (stream as { _body?: unknown })._body === true
  );
}

function isFastifyRequest(req: KnoxHttpRequest): boolean {
  const raw = (req as { raw?: unknown }).raw;
  return typeof raw === 'object' && raw !== null;
}
