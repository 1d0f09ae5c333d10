import zlib from 'node:zlib';
import { BROTLI_LENIENT, type Coding, codingsToUndo, isZlibWrapped, ZLIB_LENIENT } from './content-codings.js';

// A whole body decoded as fetch would hand it to `text()` (management calls read answers
// whole), by the rules in content-codings.ts, with the one-shot zlib functions.

const zstdDecompressSync = (zlib as { zstdDecompressSync?: (body: Buffer) => Buffer }).zstdDecompressSync;

function decodeOne(coding: Coding, body: Buffer): Buffer {
  switch (coding) {
    case 'gzip':
      return zlib.gunzipSync(body, ZLIB_LENIENT);
    case 'deflate':
      return isZlibWrapped(body[0] as number) ? zlib.inflateSync(body, ZLIB_LENIENT) : zlib.inflateRawSync(body, ZLIB_LENIENT);
    case 'br':
      return zlib.brotliDecompressSync(body, BROTLI_LENIENT);
    case 'zstd':
      // codingsToUndo lists zstd only where Node has it.
      return (zstdDecompressSync as (body: Buffer) => Buffer)(body);
  }
}

/**
 * The body decoded by each listed coding; left as sent where `codingsToUndo` says so, and an
 * empty body (which fetch reads as empty). Throws for more than five codings or a body that
 * does not decode.
 */
export function decodeContent(body: Buffer, contentEncoding: string | null, method: string, status: number): Buffer {
  if (body.length === 0) return body;
  const codings = codingsToUndo(contentEncoding, method, status);
  if (codings === undefined) return body;
  let decoded = body;
  for (const coding of codings) decoded = decodeOne(coding, decoded);
  return decoded;
}
