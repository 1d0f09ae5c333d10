import { payloadTooLargeError } from './webhook-errors.js';

/** Default `maxBodyBytes`: 1 MiB, far above any KnoxCall delivery. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * The event side of a Node `Readable` (an `IncomingMessage`), described structurally so this
 * module needs no `node:` import.
 */
export interface NodeReadableLike {
  on(event: 'data', listener: (chunk: Uint8Array | string) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
  pause(): unknown;
  readonly readableEnded?: boolean;
}

export type BodySource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | NodeReadableLike;

/**
 * Reads a whole request body into one `Uint8Array`, failing with `payload_too_large` as
 * soon as more than `maxBodyBytes` arrived (so an oversize body is never buffered whole).
 *
 * A Node stream is read through its 'data' events (noticeably faster than its async
 * iterator). On the limit a Web `ReadableStream` is cancelled; a Node stream is paused and an
 * async iterable simply no longer pulled — neither is destroyed (that would reset the socket
 * before the 413 could be written) — and the adapter decides what to do with the unread rest.
 */
export async function readBodyWithLimit(source: BodySource, maxBodyBytes: number = DEFAULT_MAX_BODY_BYTES): Promise<Uint8Array> {
  if (isNodeReadable(source)) return readNodeStream(source, maxBodyBytes);
  if (isReadableStream(source)) return readWebStreamWithLimit(source, maxBodyBytes);
  const body = bodyCollector(maxBodyBytes);
  const iterator = source[Symbol.asyncIterator]();
  for (;;) {
    const { done, value } = await iterator.next();
    if (done) break;
    body.take(value);
  }
  return body.bytes();
}

/**
 * `readBodyWithLimit` for a Web `ReadableStream` only: edge adapters (Hono) import this one
 * so that their bundle does not carry the Node-stream and async-iterable readers.
 */
export async function readWebStreamWithLimit(stream: ReadableStream<Uint8Array>, maxBodyBytes: number = DEFAULT_MAX_BODY_BYTES): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return concat(chunks, total);
      // A request body stream yields Uint8Array chunks (Fetch standard); nothing else is converted here.
      if (!(value instanceof Uint8Array)) throw new TypeError('request body chunks must be Uint8Array');
      total += value.byteLength;
      if (total > maxBodyBytes) throw payloadTooLargeError(maxBodyBytes);
      chunks.push(value);
    }
  } catch (error) {
    reader.cancel().catch(() => {});
    throw error;
  } finally {
    reader.releaseLock();
  }
}

/** Collects chunks, failing with `payload_too_large` as soon as more than the limit arrived. */
function bodyCollector(maxBodyBytes: number): { take(chunk: unknown): void; bytes(): Uint8Array } {
  const chunks: Uint8Array[] = [];
  let total = 0;
  return {
    take(chunk) {
      const bytes = toBytes(chunk);
      total += bytes.byteLength;
      if (total > maxBodyBytes) throw payloadTooLargeError(maxBodyBytes);
      if (bytes.byteLength > 0) chunks.push(bytes);
    },
    bytes: () => concat(chunks, total),
  };
}

/** Fails up front when a declared `Content-Length` already exceeds the limit. */
export function assertContentLengthWithin(contentLength: string | undefined, maxBodyBytes: number): void {
  if (contentLength === undefined) return;
  const trimmed = contentLength.trim();
  // The cheap comparison first: a length within the limit (every delivery) skips the regex;
  // only digits may fail it (`Number` also reads hex, exponents and Infinity).
  if (Number(trimmed) > maxBodyBytes && /^\d+$/.test(trimmed)) throw payloadTooLargeError(maxBodyBytes);
}

/** Validates a `maxBodyBytes` option at setup time, so a typo fails at boot rather than per request. */
export function resolveMaxBodyBytes(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new TypeError(`maxBodyBytes must be a positive whole number of bytes, got ${String(value)}`);
  }
  return value;
}

function isNodeReadable(source: BodySource): source is NodeReadableLike {
  const candidate = source as Partial<NodeReadableLike>;
  return typeof candidate.on === 'function' && typeof candidate.removeListener === 'function' && typeof candidate.pause === 'function';
}

function readNodeStream(stream: NodeReadableLike, maxBodyBytes: number): Promise<Uint8Array> {
  return new Promise<Uint8Array>((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    const cleanup = () => {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onError);
      stream.removeListener('close', onClose);
    };
    const onData = (chunk: Uint8Array | string) => {
      let bytes: Uint8Array;
      try {
        bytes = toBytes(chunk);
      } catch (error) {
        cleanup();
        stream.pause();
        reject(error);
        return;
      }
      total += bytes.byteLength;
      if (total > maxBodyBytes) {
        cleanup();
        stream.pause();
        reject(payloadTooLargeError(maxBodyBytes));
        return;
      }
      if (bytes.byteLength > 0) chunks.push(bytes);
    };
    const onEnd = () => {
      cleanup();
      resolve(concat(chunks, total));
    };
    const onError = (error: unknown) => {
      cleanup();
      reject(error);
    };
    // 'close' before 'end': the sender went away mid-body.
    const onClose = () => {
      cleanup();
      reject(new Error('the request stream closed before the body was complete'));
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}

function isReadableStream(source: BodySource): source is ReadableStream<Uint8Array> {
  return typeof (source as ReadableStream<Uint8Array>).getReader === 'function';
}

function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === 'string') return new TextEncoder().encode(chunk);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError('request body chunks must be Uint8Array');
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  if (chunks.length === 0) return new Uint8Array(0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
