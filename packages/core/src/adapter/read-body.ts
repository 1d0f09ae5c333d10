import { payloadTooLargeError } from './webhook-errors.js';

/** Default `maxBodyBytes`: 1 MiB, far above any KnoxCall delivery. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export type BodySource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/**
 * Reads a whole request body into one `Uint8Array`, failing with `payload_too_large` as
 * soon as more than `maxBodyBytes` arrived (so an oversize body is never buffered whole).
 *
 * On the limit a Web `ReadableStream` is cancelled; an async iterable is simply no longer
 * pulled (its `return()` is NOT called — for a Node `IncomingMessage` that would destroy
 * the socket before the 413 could be written), and the adapter decides what to do with
 * the unread rest.
 */
export async function readBodyWithLimit(source: BodySource, maxBodyBytes: number = DEFAULT_MAX_BODY_BYTES): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const take = (chunk: unknown): void => {
    const bytes = toBytes(chunk);
    total += bytes.byteLength;
    if (total > maxBodyBytes) throw payloadTooLargeError(maxBodyBytes);
    if (bytes.byteLength > 0) chunks.push(bytes);
  };

  if (isReadableStream(source)) {
    const reader = source.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        take(value);
      }
    } catch (error) {
      reader.cancel().catch(() => {});
      throw error;
    } finally {
      reader.releaseLock();
    }
  } else {
    const iterator = source[Symbol.asyncIterator]();
    for (;;) {
      const { done, value } = await iterator.next();
      if (done) break;
      take(value);
    }
  }
  return concat(chunks, total);
}

/** Fails up front when a declared `Content-Length` already exceeds the limit. */
export function assertContentLengthWithin(contentLength: string | undefined, maxBodyBytes: number): void {
  if (contentLength === undefined) return;
  const trimmed = contentLength.trim();
  if (/^\d+$/.test(trimmed) && Number(trimmed) > maxBodyBytes) throw payloadTooLargeError(maxBodyBytes);
}

/** Validates a `maxBodyBytes` option at setup time, so a typo fails at boot rather than per request. */
export function resolveMaxBodyBytes(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new TypeError(`maxBodyBytes must be a positive whole number of bytes, got ${String(value)}`);
  }
  return value;
}

function isReadableStream(source: BodySource): source is ReadableStream<Uint8Array> {
  return typeof (source as ReadableStream<Uint8Array>).getReader === 'function';
}

function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === 'string') return new TextEncoder().encode(chunk);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError('request body chunks must be bytes (Uint8Array)');
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
