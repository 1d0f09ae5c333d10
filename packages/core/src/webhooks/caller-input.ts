/**
 * What the public verifiers accept: a body that is a string or bytes in any of the usual
 * containers (a string body's failed signature is diagnosed), and headers of any supported
 * shape. Adapters pass the bytes they read and their framework's own headers
 * (`verifyReceivedDelivery` in verify-async.ts), so their bundles carry none of this.
 */
import { toHeaderMap } from '../http/headers.js';
import { diagnoseSignatureMismatch } from './mismatch-diagnosis.js';
import { bytesBody, type RawBody, TextBody } from './raw-body.js';
import type { VerifierInput } from './verification-algorithm.js';
import { bodyNotBytesError } from './verification-errors.js';

/**
 * A string is the form a parsed-and-re-serialized body takes (`JSON.stringify(req.body)`,
 * `String(req.body)`), so only a string body gets that diagnosis on a mismatch.
 */
class CallerTextBody extends TextBody {
  mismatchHint(): string | undefined {
    return diagnoseSignatureMismatch(this);
  }
}

function tag(value: unknown): string {
  return Object.prototype.toString.call(value);
}

function describeBadBody(body: unknown): string {
  if (body === undefined || body === null) {
    return `got ${body}; was the raw body passed? (a body parser may have consumed the request stream)`;
  }
  if (Array.isArray(body)) return 'got an array; was the raw body passed? (it looks like a parsed JSON array)';
  if (ArrayBuffer.isView(body)) {
    return `got a ${tag(body).slice(8, -1)}; pass the bytes as a Uint8Array (or Buffer), ArrayBuffer or DataView`;
  }
  if (typeof body === 'object') {
    const name = tag(body) === '[object Object]' ? 'an object' : `a ${tag(body).slice(8, -1)}`;
    return `got ${name}; was the raw body passed? (it looks like a parsed JSON object)`;
  }
  return `got a ${typeof body}; pass the raw request body as received`;
}

/** Wraps a string or bytes; anything else (e.g. a parsed object) is `invalid_payload`. */
export function toRawBody(body: unknown): RawBody {
  if (typeof body === 'string') return new CallerTextBody(body);
  if (body instanceof Uint8Array) return bytesBody(body);
  if (ArrayBuffer.isView(body)) {
    // Cross-realm Uint8Array/Buffer, and DataView: view the same bytes.
    const kind = tag(body);
    if (kind === '[object Uint8Array]' || kind === '[object DataView]') {
      return bytesBody(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
    }
  } else if (body instanceof ArrayBuffer || tag(body) === '[object ArrayBuffer]') {
    return bytesBody(new Uint8Array(body as ArrayBuffer));
  }
  throw bodyNotBytesError(describeBadBody(body));
}

/** Any body and header shape the public functions document. */
export const CALLER_INPUT: VerifierInput<unknown, unknown> = { body: toRawBody, headers: toHeaderMap };
