/** What the wrapped SDK asked for, read once so it can be sent (and re-sent) through KnoxCall. */
export interface RequestParts {
  method: string;
  /** Lower-case names; framing headers removed. */
  headers: Record<string, string>;
  body: Uint8Array<ArrayBuffer> | undefined;
  signal: AbortSignal | undefined;
}

// Set by fetch itself for the leg it sends; copying them would describe the wrong request.
const FRAMING = new Set(['content-length', 'host', 'connection', 'transfer-encoding', 'keep-alive']);

/** The URL string of a fetch input without building a Request (the cheap path for direct traffic). */
export function urlOf(input: string | URL | Request): string {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  return (input as Request).url;
}

export async function readRequestParts(input: string | URL | Request, init: RequestInit | undefined): Promise<RequestParts> {
  const isRequest = typeof input === 'object' && !(input instanceof URL);
  // SDKs call fetch(url, init) with plain headers and a string or byte body: read those
  // directly. Building a Request to read them back cost more than the rest of the wrapped call.
  const plain = isRequest ? undefined : partsOfPlainInit(init);
  if (plain !== undefined) return plain;
  const request = isRequest && init === undefined ? input : new Request(input, init);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    if (!FRAMING.has(name)) headers[name] = value;
  });
  const method = request.method.toUpperCase();
  let body: Uint8Array<ArrayBuffer> | undefined;
  if (method !== 'GET' && method !== 'HEAD' && request.body !== null) {
    const bytes = new Uint8Array(await request.arrayBuffer());
    if (bytes.byteLength > 0) body = bytes;
  }
  const signal = init?.signal ?? (isRequest ? (input as Request).signal : undefined);
  return { method, headers, body, signal: signal ?? undefined };
}

/**
 * The parts of `init` read as a Request would read them, when that needs no Request: headers
 * as a record, pairs or `Headers` (names lower-cased, values trimmed, repeats joined with
 * ", "), and no body, a string (which a Request labels text/plain when nothing else does) or
 * bytes. Anything else (a stream, a Blob, FormData, URLSearchParams, a body on GET) is left
 * to a Request: undefined.
 */
function partsOfPlainInit(init: RequestInit | undefined): RequestParts | undefined {
  const method = (init?.method ?? 'GET').toUpperCase();
  const source = init?.body;
  let body: Uint8Array<ArrayBuffer> | undefined;
  let textBody = false;
  if (typeof source === 'string') {
    body = new TextEncoder().encode(source) as Uint8Array<ArrayBuffer>;
    textBody = true;
  } else if (source instanceof ArrayBuffer) {
    body = new Uint8Array(source.slice(0));
  } else if (ArrayBuffer.isView(source)) {
    body = new Uint8Array(source.buffer.slice(source.byteOffset, source.byteOffset + source.byteLength) as ArrayBuffer);
  } else if (source != null) {
    return undefined;
  }
  if (body !== undefined && (method === 'GET' || method === 'HEAD')) return undefined;
  const headers = plainHeaders(init?.headers);
  if (headers === undefined) return undefined;
  if (textBody && headers['content-type'] === undefined) headers['content-type'] = 'text/plain;charset=UTF-8';
  return { method, headers, body: body !== undefined && body.byteLength > 0 ? body : undefined, signal: init?.signal ?? undefined };
}

function plainHeaders(source: HeadersInit | undefined): Record<string, string> | undefined {
  const headers: Record<string, string> = {};
  const add = (name: string, value: string): void => {
    const lower = name.toLowerCase();
    if (FRAMING.has(lower)) return;
    const trimmed = String(value).trim();
    headers[lower] = headers[lower] === undefined ? trimmed : `${headers[lower]}, ${trimmed}`;
  };
  if (source === undefined) return headers;
  if (source instanceof Headers) {
    source.forEach((value, name) => {
      add(name, value);
    });
  } else if (Array.isArray(source)) {
    for (const pair of source) {
      if (pair.length !== 2) return undefined; // a Request refuses it: let it say so
      add(pair[0]!, pair[1]!);
    }
  } else if (typeof source === 'object' && source !== null) {
    for (const [name, value] of Object.entries(source)) add(name, value);
  } else {
    return undefined;
  }
  return headers;
}
