/**
 * The raw-body rules the Node adapters share: bytes a parser kept are held to the limit, and
 * a stream a parser consumed without keeping them fails at once — never a wait on a drained
 * stream, never a re-serialized `req.body`.
 */
import { type NodeReadableLike, readBodyWithLimit } from './read-body.js';
import { payloadTooLargeError, rawBodyUnavailableError } from './webhook-errors.js';

/** The bytes a body parser kept (`express.raw()`, a `verify` hook, Nest's `rawBody`, Hono's body cache), within the limit. */
export function keptBodyWithin(bytes: Uint8Array, maxBodyBytes: number): Uint8Array {
  if (bytes.byteLength > maxBodyBytes) throw payloadTooLargeError(maxBodyBytes);
  return bytes;
}

/** A Node `IncomingMessage` as far as telling whether something read it already. */
export interface NodeRequestStream extends NodeReadableLike {
  readonly readableDidRead?: boolean;
  readonly readableEnded?: boolean;
  readonly complete?: boolean;
  readonly readable?: boolean;
}

/**
 * Reads a request body nobody read yet, within `maxBodyBytes`. When a parser consumed the
 * stream without keeping the bytes, it fails at once with `raw_body_unavailable` and `fix`,
 * which tells how to keep them in that framework.
 */
export async function readUnconsumedBody(stream: NodeRequestStream, maxBodyBytes: number, fix: string): Promise<Uint8Array> {
  if (bodyStreamConsumed(stream)) throw rawBodyUnavailableError(fix);
  return readBodyWithLimit(stream, maxBodyBytes);
}

function bodyStreamConsumed(stream: NodeRequestStream): boolean {
  return (
    stream.readableDidRead === true ||
    stream.readableEnded === true ||
    (stream.complete === true && stream.readable === false) ||
    // body-parser's mark on a request it parsed
    (stream as { _body?: unknown })._body === true
  );
}
