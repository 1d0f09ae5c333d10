import { keptBodyWithin, rawBodyUnavailableError, readWebStreamWithLimit } from '@knoxcall/core/adapter';
import type { Context } from 'hono';

// Hono keeps what c.req.arrayBuffer()/blob()/text() (and, on current Hono, c.req.json()) read;
// reading c.req.raw directly, or c.req.json() on older Hono, leaves no bytes to verify.
const HONO_FIX = 'Mount knoxWebhook() before middleware that reads c.req.raw (or c.req.json() on older Hono).';

/** What Hono keeps in `c.req.bodyCache` at run time: the PROMISE of the first read, per kind. */
type BodyCache = Record<string, Promise<unknown> | undefined>;

/**
 * The exact bytes of the request body, enforcing `maxBodyBytes`, read so that later
 * handlers can still read the body (`c.req.json()`, validators): what Hono already keeps
 * is reused, and what this reads is put into Hono's body cache.
 *
 * With a Content-Length (already checked against the limit by the processor) the HTTP
 * layer cannot deliver more than declared, so `c.req.arrayBuffer()` reads it in one native
 * step; without one (chunked), the stream is read chunk by chunk and cancelled as soon as
 * it passes the limit, so an oversize body is never buffered whole.
 */
export async function readHonoBody(c: Context, maxBodyBytes: number): Promise<Uint8Array> {
  const cache = c.req.bodyCache as unknown as BodyCache;
  const kept = firstCachedKind(cache);
  if (kept !== undefined) {
    // c.req.arrayBuffer() turns the first kind Hono kept into bytes: exact for a blob, the
    // UTF-8 of decoded text — but a parsed form, or JSON parsed by older Hono releases,
    // would come back re-serialized, never as the received bytes.
    if (cache.arrayBuffer === undefined && kept !== 'blob' && kept !== 'text') throw rawBodyUnavailableError(HONO_FIX);
    return keptBodyWithin(new Uint8Array(await c.req.arrayBuffer()), maxBodyBytes);
  }
  if (c.req.raw.bodyUsed) throw rawBodyUnavailableError(HONO_FIX);

  if (c.req.header('content-length') !== undefined) {
    return keptBodyWithin(new Uint8Array(await c.req.arrayBuffer()), maxBodyBytes);
  }
  const stream = c.req.raw.body;
  const bytes = stream === null ? new Uint8Array(0) : await readWebStreamWithLimit(stream, maxBodyBytes);
  // What c.req.arrayBuffer() would have given: a buffer of exactly these bytes.
  cache.arrayBuffer = Promise.resolve(bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer);
  return bytes;
}

/** The kind of the first body read through Hono, if any (the usual answer, none). */
function firstCachedKind(cache: BodyCache): string | undefined {
  for (const kind in cache) return kind;
  return undefined;
}
