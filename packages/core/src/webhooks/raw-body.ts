/**
 * The raw request body as the verifier sees it (contract webhooks.md §2). A string body is
 * kept as a string, so the Node verifier can hash and JSON-parse it without a copy; its
 * UTF-8 bytes are produced only when the Web Crypto verifier needs them. What callers may
 * pass, and how it becomes a RawBody, is caller-input.ts.
 */

export interface RawBody {
  /** Present when the caller passed a string. */
  readonly text: string | undefined;
  /** The exact bytes that were signed (a string is UTF-8 encoded once, on first use). */
  bytes(): Uint8Array;
  readonly byteLength: number;
  /**
   * Why the signature may have failed although the secret is right, appended to the
   * mismatch message. Only caller-supplied text has one (caller-input.ts): bytes come from
   * a raw-body reader, never from a parser, so there is nothing to diagnose.
   */
  mismatchHint?(): string | undefined;
}

// Pure: bundles that never encode a string body (adapters: always bytes) can drop it.
const encoder = /* @__PURE__ */ new TextEncoder();
// fatal: invalid UTF-8 is a JSON error, never silently replaced; the BOM is dropped (default).
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

export class TextBody implements RawBody {
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

/** Received bytes as a body: a plain object (smaller in edge bundles than a class). */
export function bytesBody(bytes: Uint8Array): RawBody {
  return { text: undefined, bytes: () => bytes, byteLength: bytes.byteLength };
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
