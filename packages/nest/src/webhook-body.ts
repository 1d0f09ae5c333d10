import type { INestApplication } from '@nestjs/common';
import { type KnoxWebhookError, readBodyWithLimit, resolveMaxBodyBytes } from '@knoxcall/core/adapter';
import { isKnoxCallError } from '@knoxcall/core';
import { WebhookSignatureVerificationError } from '@knoxcall/core/webhooks';
import type { KnoxHttpRequest } from './module-options.js';

/** What `useKnoxWebhookBody` leaves on a webhook request (process-wide symbol: works across builds). */
const KNOX_BODY = Symbol.for('knoxcall.nest.webhookBody');

interface ReadWebhookBody {
  bytes?: Uint8Array;
  error?: KnoxWebhookError;
  /** The request's Content-Type, kept when it was removed to stop Nest's parser. */
  contentType?: string | undefined;
  contentTypeRemoved: boolean;
}

type MutableHeaders = Record<string, string | string[] | undefined>;

/**
 * Keeps Nest's global body parsers away from your KnoxCall webhook routes: their bytes are
 * read exactly as they arrive (up to `maxBodyBytes`, default 1 MiB) before any parser runs,
 * so every delivery — malformed ones included — gets the contract's answer from the guard,
 * any `application/*+json` or charset is accepted, and `{ rawBody: true }` is not needed for
 * these routes. Call it before `app.listen()` / `app.init()`, with the full paths (global
 * prefix included):
 *
 * ```ts
 * const app = await NestFactory.create(AppModule);
 * useKnoxWebhookBody(app, '/webhooks/knoxcall');
 * await app.listen(3000);
 * ```
 *
 * Express: a middleware on those paths, mounted ahead of Nest's parsers. Fastify: a
 * `preParsing` hook for those routes. Other platforms: a TypeError.
 */
export function useKnoxWebhookBody(app: INestApplication, paths: string | readonly string[], options: { maxBodyBytes?: number } = {}): void {
  const list = typeof paths === 'string' ? [paths] : [...paths];
  if (list.length === 0 || list.some((p) => typeof p !== 'string' || !p.startsWith('/'))) {
    throw new TypeError("useKnoxWebhookBody(app, paths): paths must be absolute route paths like '/webhooks/knoxcall'");
  }
  const maxBodyBytes = resolveMaxBodyBytes(options.maxBodyBytes);
  const adapter = app.getHttpAdapter();
  const type = adapter.getType();
  if (type === 'express') {
    const middleware = (req: KnoxHttpRequest & AsyncIterable<Uint8Array> & { method?: string }, _res: unknown, next: () => void): void => {
      if (!hasBody(req.method)) {
        next();
        return;
      }
      void readInto(req, req, req.headers as MutableHeaders, maxBodyBytes, false).then(() => next());
    };
    for (const path of list) app.use(path, middleware);
    return;
  }
  if (type === 'fastify') {
    const paths = new Set(list);
    const fastify = adapter.getInstance() as {
      addHook(name: 'preParsing', hook: (request: FastifyLikeRequest, reply: unknown, payload: AsyncIterable<Uint8Array>) => Promise<unknown>): unknown;
    };
    fastify.addHook('preParsing', async (request, _reply, payload) => {
      if (!paths.has(request.routeOptions?.url ?? '') || !hasBody(request.method)) return payload;
      // Fastify parses by Content-Type and length; without them it hands the request straight on.
      await readInto(request, payload, request.headers as MutableHeaders, maxBodyBytes, true);
      return payload;
    });
    return;
  }
  throw new TypeError(`useKnoxWebhookBody: the ${String(type)} platform is not supported (Express and Fastify are)`);
}

interface FastifyLikeRequest extends KnoxHttpRequest {
  readonly method: string;
  readonly routeOptions?: { url?: string };
}

/**
 * Reads the body into the request's record. On Fastify, and on Express after a failed read
 * (the stream was not drained), the body headers are removed so that no parser touches the
 * request; the guard still sees the original Content-Type through `webhookHeadersOf`.
 */
async function readInto(
  req: KnoxHttpRequest,
  source: AsyncIterable<Uint8Array>,
  headers: MutableHeaders,
  maxBodyBytes: number,
  alwaysHideBody: boolean,
): Promise<void> {
  const record: ReadWebhookBody = { contentType: firstHeader(headers['content-type']), contentTypeRemoved: false };
  (req as unknown as Record<symbol, unknown>)[KNOX_BODY] = record;
  try {
    record.bytes = await readBodyWithLimit(source, maxBodyBytes);
  } catch (error) {
    record.error =
      isKnoxCallError(error) && error.code === 'payload_too_large'
        ? (error as WebhookSignatureVerificationError)
        : new WebhookSignatureVerificationError('the webhook request body could not be read completely', 'invalid_payload');
  }
  if (alwaysHideBody || record.error !== undefined) {
    record.contentTypeRemoved = true;
    delete headers['content-type'];
    delete headers['content-length'];
    delete headers['transfer-encoding'];
  }
}

/** The body `useKnoxWebhookBody` read for this request: bytes, a read error, or undefined when it did not run. */
export function readWebhookBodyOf(req: KnoxHttpRequest): ReadWebhookBody | undefined {
  return (req as unknown as Record<symbol, unknown>)[KNOX_BODY] as ReadWebhookBody | undefined;
}

/** The request's headers as the sender sent them (with the Content-Type `useKnoxWebhookBody` hid from parsers). */
export function webhookHeadersOf(req: KnoxHttpRequest): KnoxHttpRequest['headers'] {
  const record = readWebhookBodyOf(req);
  if (record === undefined || !record.contentTypeRemoved || record.contentType === undefined) return req.headers;
  return { ...req.headers, 'content-type': record.contentType };
}

function hasBody(method: string | undefined): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
