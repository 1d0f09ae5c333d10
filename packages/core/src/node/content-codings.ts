import zlib from 'node:zlib';

// fetch decodes a response body by its Content-Encoding. A call the dispatcher carries decodes
// the same codings by the same rules, whole (decode-content.ts, management) or streaming
// (decode-stream.ts, data plane): this file owns the rules both follow.

/** The codings a body can be decoded from here; zstd only where Node has it (as its fetch). */
export type Coding = 'gzip' | 'deflate' | 'br' | 'zstd';

/** Statuses whose body fetch never decodes (null-body statuses). */
const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);
// fetch's own limit (a defence against decompression chains).
const MAX_CONTENT_ENCODINGS = 5;

export const hasZstd = typeof (zlib as { zstdDecompressSync?: unknown }).zstdDecompressSync === 'function';

/** Lenient flush modes, as fetch's: a truncated stream decodes as far as it goes (as in browsers and curl). */
export const ZLIB_LENIENT = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
export const BROTLI_LENIENT = { flush: zlib.constants.BROTLI_OPERATION_FLUSH, finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH };

/**
 * "deflate" is meant to be zlib-wrapped, but servers send raw deflate too: fetch tells them
 * apart by the first byte (a zlib header's compression method is 8).
 */
export function isZlibWrapped(firstByte: number): boolean {
  return (firstByte & 0x0f) === 0x08;
}

/** The `Accept-Encoding` fetch sends when the caller set none (brotli over TLS only, as fetch does). */
export function defaultAcceptEncoding(secure: boolean): string {
  return secure ? 'br, gzip, deflate' : 'gzip, deflate';
}

/** No body at all, as fetch hands it: for HEAD (and CONNECT) and the null-body statuses. */
export function hasNullBody(method: string, status: number): boolean {
  return method === 'HEAD' || method === 'CONNECT' || NULL_BODY_STATUS.has(status);
}

function codingOf(name: string): Coding | undefined {
  switch (name) {
    case 'gzip':
    case 'x-gzip':
      return 'gzip';
    case 'deflate':
      return 'deflate';
    case 'br':
      return 'br';
    case 'zstd':
      return hasZstd ? 'zstd' : undefined;
    default:
      return undefined;
  }
}

/**
 * The codings to undo, in the order to undo them (the last applied first), or undefined when
 * the body is handed on as sent: no Content-Encoding, any coding unknown (fetch does the
 * same), and bodies fetch never decodes (see hasNullBody). Throws for more than five codings.
 */
export function codingsToUndo(contentEncoding: string | null, method: string, status: number): Coding[] | undefined {
  if (!contentEncoding || hasNullBody(method, status)) return undefined;
  const names = contentEncoding.toLowerCase().split(',');
  if (names.length > MAX_CONTENT_ENCODINGS) {
    throw new Error(`too many content-encodings in response: ${names.length}, maximum allowed is ${MAX_CONTENT_ENCODINGS}`);
  }
  const codings: Coding[] = [];
  for (let i = names.length - 1; i >= 0; i--) {
    const coding = codingOf((names[i] as string).trim());
    if (coding === undefined) return undefined;
    codings.push(coding);
  }
  return codings;
}
