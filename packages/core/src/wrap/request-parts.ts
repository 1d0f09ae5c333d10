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
  const request = typeof input === 'object' && !(input instanceof URL) && init === undefined ? input : new Request(input, init);
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
  const signal = init?.signal ?? (typeof input === 'object' && !(input instanceof URL) ? (input as Request).signal : undefined);
  return { method, headers, body, signal: signal ?? undefined };
}
