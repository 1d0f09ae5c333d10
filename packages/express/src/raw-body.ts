import type { IncomingMessage, ServerResponse } from 'node:http';
import { keptBodyWithin, readUnconsumedBody } from '@knoxcall/core/adapter';

/** Where `rawBodySaver` keeps the bytes a global parser read (process-wide symbol: works across builds). */
const RAW_BODY = Symbol.for('knoxcall.express.rawBody');

/**
 * Keeps the exact bytes a global body parser read, so `knoxWebhook` can verify them:
 * `app.use(express.json({ verify: rawBodySaver }))`. It only stores a reference to the
 * buffer body-parser already holds.
 */
export function rawBodySaver(req: IncomingMessage, _res: ServerResponse, buf: Buffer, _encoding?: string): void {
  (req as unknown as Record<symbol, unknown>)[RAW_BODY] = buf;
}

const EXPRESS_FIX =
  'Mount knoxWebhook() before any global body parser (app.post(path, knoxWebhook(...)) above app.use(express.json())), ' +
  'or keep the raw bytes with app.use(express.json({ verify: rawBodySaver })) — rawBodySaver is exported by @knoxcall/express.';

/**
 * The exact bytes of the request body: those an earlier parser kept (express.raw(),
 * rawBodySaver, a framework's `req.rawBody`), else read from the stream when nobody read
 * it yet. When a parser consumed the stream without keeping the bytes, it fails at once
 * with `raw_body_unavailable` — it never waits on a drained stream and never re-serializes
 * `req.body`.
 */
export async function readExpressRawBody(req: IncomingMessage & { body?: unknown; rawBody?: unknown }, maxBodyBytes: number): Promise<Uint8Array> {
  const kept = keptBytes(req);
  return kept !== undefined ? keptBodyWithin(kept, maxBodyBytes) : readUnconsumedBody(req, maxBodyBytes, EXPRESS_FIX);
}

function keptBytes(req: IncomingMessage & { body?: unknown; rawBody?: unknown }): Uint8Array | undefined {
  if (req.body instanceof Uint8Array) return req.body; // express.raw() ran
  const saved = (req as unknown as Record<symbol, unknown>)[RAW_BODY];
  if (saved instanceof Uint8Array) return saved;
  if (req.rawBody instanceof Uint8Array) return req.rawBody; // e.g. Nest's { rawBody: true }
  return undefined;
}
