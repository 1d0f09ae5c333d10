/** What a webhook body may be given as: the exact string or bytes that go on the wire. */
export type WebhookBody = string | Uint8Array | ArrayBuffer | ArrayBufferView;

const utf8 = new TextEncoder();

/**
 * The exact bytes of a body, copied into a fresh `Uint8Array` (so later changes to the
 * caller's buffer cannot alter what was signed, and Web Crypto gets a plain ArrayBuffer).
 */
export function bodyToBytes(body: WebhookBody, what = 'body'): Uint8Array<ArrayBuffer> {
  if (typeof body === 'string') return utf8.encode(body);
  // toString tag rather than instanceof: an ArrayBuffer from another realm (vm, iframe,
  // jsdom) is still an ArrayBuffer.
  if (Object.prototype.toString.call(body) === '[object ArrayBuffer]') return new Uint8Array((body as ArrayBuffer).slice(0));
  if (ArrayBuffer.isView(body)) {
    const view = new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
    const copy = new Uint8Array(view.byteLength);
    copy.set(view);
    return copy;
  }
  throw new TypeError(
    `${what} must be a string, Uint8Array or ArrayBuffer (the exact bytes to sign), got ${describeValue(body)}; ` +
      'serialise an object yourself (e.g. JSON.stringify) or pass `event` to deliverWebhook',
  );
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  let length = 0;
  for (const part of parts) length += part.byteLength;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/** A short description of a bad argument for error messages (never its content: it may be a secret). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object (${Object.prototype.toString.call(value)})`;
  return `a ${typeof value}`;
}
