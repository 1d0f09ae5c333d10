import zlib from 'node:zlib';

// fetch decodes a response body by its Content-Encoding; a call carried by the dispatcher
// decodes the same codings the same way, so a server that compresses (or a caller who sets
// its own Accept-Encoding) gets the same text either way. Bodies are whole here, so the
// one-shot zlib functions replace fetch's streams, with fetch's lenient flush modes
// (truncated streams decode as far as they go, as in browsers and curl).

/** Statuses whose body fetch never decodes (null-body statuses). */
const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);
// fetch's own limit (a defence against decompression chains).
const MAX_CONTENT_ENCODINGS = 5;

const ZLIB_LENIENT = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
const BROTLI_LENIENT = { flush: zlib.constants.BROTLI_OPERATION_FLUSH, finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH };

type Decoder = (body: Buffer) => Buffer;

const zstdDecompressSync = (zlib as { zstdDecompressSync?: (body: Buffer) => Buffer }).zstdDecompressSync;

// "deflate" is meant to be zlib-wrapped, but servers send raw deflate too: fetch tells them
// apart by the first byte (a zlib header's compression method is 8).
function inflate(body: Buffer): Buffer {
  return ((body[0] as number) & 0x0f) === 0x08 ? zlib.inflateSync(body, ZLIB_LENIENT) : zlib.inflateRawSync(body, ZLIB_LENIENT);
}

function decoderFor(coding: string): Decoder | undefined {
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return (body) => zlib.gunzipSync(body, ZLIB_LENIENT);
    case 'deflate':
      return inflate;
    case 'br':
      return (body) => zlib.brotliDecompressSync(body, BROTLI_LENIENT);
    case 'zstd':
      return zstdDecompressSync;
    default:
      return undefined;
  }
}

/** The `Accept-Encoding` fetch sends when the caller set none (brotli over TLS only, as fetch does). */
export function defaultAcceptEncoding(secure: boolean): string {
  return secure ? 'br, gzip, deflate' : 'gzip, deflate';
}

/**
 * The body as fetch would hand it to `text()`: decoded by each listed coding, last applied
 * first; left as sent when any coding is unknown (fetch does the same), for HEAD, and for
 * null-body statuses (and an empty body, which fetch reads as empty). Throws for more than five codings or a body that does not decode.
 */
export function decodeContent(body: Buffer, contentEncoding: string | null, method: string, status: number): Buffer {
  if (!contentEncoding || body.length === 0 || method === 'HEAD' || method === 'CONNECT' || NULL_BODY_STATUS.has(status)) return body;
  const codings = contentEncoding.toLowerCase().split(',');
  if (codings.length > MAX_CONTENT_ENCODINGS) {
    throw new Error(`too many content-encodings in response: ${codings.length}, maximum allowed is ${MAX_CONTENT_ENCODINGS}`);
  }
  const decoders: Decoder[] = [];
  for (let i = codings.length - 1; i >= 0; i--) {
    const decoder = decoderFor((codings[i] as string).trim());
    if (decoder === undefined) return body;
    decoders.push(decoder);
  }
  let decoded = body;
  for (const decode of decoders) decoded = decode(decoded);
  return decoded;
}
