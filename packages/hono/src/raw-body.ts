import { payloadTooLargeError, rawBodyUnavailableError, readWebStreamWithLimit } from '@knoxcall/core/adapter';
import type { Context } from 'hono';

// Hono keeps what c.req.arrayBuffer()/blob()/text() (and, on current Hono, c.req.json()) read;
// reading c.req.raw directly, or c.req.json() on older Hono, leaves no bytes to verify.
const HONO_FIX = 'Mount knoxWebhook() before middleware that reads c.req.raw (or c.req.json() on older Hono); c.req.arrayBuffer()/text()/blob() are fine.';

/**
 * What Hono keeps in `c.req.bodyCache` at run time: the PROMISE of the first read, per
 * kind (its declared type, `Partial<Body>`, names the methods instead).
 */
interface BodyCache {
  arrayBuffer?: Promise<ArrayBuffer>;
  blob?: Promise<Blob>;
  text?: Promise<string>;
  [kind: string]: unknown;
}

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
  if (hasCachedBody(cache)) {
    const kept = await keptBytes(cache);
    if (kept !== undefined) return within(kept, maxBodyBytes);
    throw rawBodyUnavailableError(HONO_FIX);
  }
  if (c.req.raw.bodyUsed) throw rawBodyUnavailableError(HONO_FIX);

  if (c.req.header('content-length') !== undefined) {
    return within(new Uint8Array(await c.req.arrayBuffer()), maxBodyBytes);
  }
  const stream = c.req.raw.body;
  const bytes = stream === null ? new Uint8Array(0) : await readWebStreamWithLimit(stream, maxBodyBytes);
  cache.arrayBuffer = Promise.resolve(ownBuffer(bytes));
  return bytes;
}

/**
 * Bytes Hono already holds: exact for arrayBuffer/blob; text is re-encoded as the UTF-8 it
 * was decoded from. A parsed form (or parsed JSON, which older Hono releases cache instead
 * of the text) cannot give the received bytes back: undefined.
 */
async function keptBytes(cache: BodyCache): Promise<Uint8Array | undefined> {
  if (cache.arrayBuffer !== undefined) return new Uint8Array(await cache.arrayBuffer);
  if (cache.blob !== undefined) return new Uint8Array(await (await cache.blob).arrayBuffer());
  if (cache.text !== undefined) return new TextEncoder().encode(await cache.text);
  return undefined;
}

/** Whether any handler read the body through Hono yet (the usual answer, no: nothing to await). */
function hasCachedBody(cache: BodyCache): boolean {
  for (const _kind in cache) return true;
  return false;
}

function within(bytes: Uint8Array, maxBodyBytes: number): Uint8Array {
  if (bytes.byteLength > maxBodyBytes) throw payloadTooLargeError(maxBodyBytes);
  return bytes;
}

/** An ArrayBuffer holding exactly these bytes (what `c.req.arrayBuffer()` would have given). */
function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  return bytes.slice().buffer as ArrayBuffer;
}
