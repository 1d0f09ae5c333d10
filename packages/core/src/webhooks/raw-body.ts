/**
 * The raw request body as the verifier sees it (contract webhooks.md §2). A string body is
 * kept as a string, so the Node verifier can hash and JSON-parse it without a copy; its
 * UTF-8 bytes are produced only when the Web Crypto verifier needs them.
 */
import { bodyNotBytesError } from './verification-errors.js';

export interface RawBody {
  /** Present when the caller passed a string. */
  readonly text: string | undefined;
  /** The exact bytes that were signed (a string is UTF-8 encoded once, on first use). */
  bytes(): Uint8Array;
  readonly byteLength: number;
}

// Pure: bundles that never encode a string body (adapters: always bytes) can drop it.
const encoder = /* @__PURE__ */ new TextEncoder();
// fatal: invalid UTF-8 is a JSON error, never silently replaced; the BOM is dropped (default).
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

function tag(value: unknown): string {
  return Object.prototype.toString.call(value);
}

class TextBody implements RawBody {
  private encoded: Uint8Array | undefined;
  constructor(readonly text: string) {}
  bytes(): Uint8Array {
    if (this.encoded === undefined) this.encoded = encoder.encode(this.text);
    return this.encoded;
  }
  get byteLength(): number {
    return this.bytes().byteLength;
  }
}

class BytesBody implements RawBody {
  readonly text = undefined;
  constructor(private readonly view: Uint8Array) {}
  bytes(): Uint8Array {
    return this.view;
  }
  get byteLength(): number {
    return this.view.byteLength;
  }
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

/** The received bytes as they are (adapters: their body is always a Uint8Array). */
export function bytesBody(bytes: Uint8Array): RawBody {
  return new BytesBody(bytes);
}

/** Wraps a string or bytes; anything else (e.g. a parsed object) is `invalid_payload`. */
export function toRawBody(body: unknown): RawBody {
  if (typeof body === 'string') return new TextBody(body);
  if (body instanceof Uint8Array) return new BytesBody(body);
  if (ArrayBuffer.isView(body)) {
    // Cross-realm Uint8Array/Buffer, and DataView: view the same bytes.
    const kind = tag(body);
    if (kind === '[object Uint8Array]' || kind === '[object DataView]') {
      return new BytesBody(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
    }
  } else if (body instanceof ArrayBuffer || tag(body) === '[object ArrayBuffer]') {
    return new BytesBody(new Uint8Array(body as ArrayBuffer));
  }
  throw bodyNotBytesError(describeBadBody(body));
}

/** The body as text for JSON: strict UTF-8, a leading BOM ignored; undefined if invalid. */
export function bodyText(body: RawBody): string | undefined {
  if (body.text !== undefined) return body.text.charCodeAt(0) === 0xfeff ? body.text.slice(1) : body.text;
  try {
    return strictDecoder.decode(body.bytes());
  } catch {
    return undefined;
  }
}
