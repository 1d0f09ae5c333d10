/**
 * Case-insensitive header reading (contract webhooks.md §2): names are compared in lower
 * case, the last of two names differing only in case wins, a list uses its first element,
 * values are trimmed, and an empty value counts as missing. A value that is not a string or
 * holds non-ASCII characters is `unusable`: the verifier treats it as a signature mismatch,
 * never as an exception.
 *
 * Only the one or two headers a format needs are ever looked up, so a plain object (the
 * common case: Node's IncomingHttpHeaders) is scanned per lookup instead of being copied
 * into a lower-cased map, and a WHATWG `Headers` answers `get` itself.
 */

/**
 * A header as the verifier sees it: its trimmed value when present, `null` when present but
 * unusable, `undefined` when missing (absent or empty). Plain values, not tagged objects:
 * cheaper per lookup and smaller in edge bundles.
 */
export type HeaderValue = string | null | undefined;

/** Raw header values by lower-case name. */
export interface HeaderMap {
  get(lowerCaseName: string): unknown;
}

const NO_HEADERS: HeaderMap = { get: () => undefined };

/** A plain object (Node's IncomingHttpHeaders): scanned per lookup; the last case variant wins. */
function objectHeaders(headers: Record<string, unknown>): HeaderMap {
  return {
    get(lowerCaseName) {
      let found: unknown;
      for (const name of Object.keys(headers)) {
        if (name.length === lowerCaseName.length && (name === lowerCaseName || name.toLowerCase() === lowerCaseName)) {
          found = headers[name];
        }
      }
      return found;
    },
  };
}

function isIterable(value: object): value is Iterable<unknown> {
  return typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
}

function isFetchHeaders(value: object): value is Headers {
  // Symbol.toStringTag, not instanceof: Headers from another realm or fetch polyfill count too.
  return Object.prototype.toString.call(value) === '[object Headers]' && typeof (value as Headers).get === 'function';
}

function fromEntries(headers: Iterable<unknown>): HeaderMap {
  const map = new Map<string, unknown>();
  const entries = Array.isArray(headers) ? headers : Array.from(headers);
  if (entries.length > 0 && entries.every((entry) => typeof entry === 'string')) {
    // Node's flat `rawHeaders`: [name, value, name, value, …]
    for (let i = 0; i + 1 < entries.length; i += 2) map.set((entries[i] as string).toLowerCase(), entries[i + 1]);
    return map;
  }
  for (const entry of entries) {
    if (Array.isArray(entry) && typeof entry[0] === 'string') map.set(entry[0].toLowerCase(), entry[1]);
  }
  return map;
}

/**
 * Headers as a framework adapter receives them: a fetch `Headers` (Hono, any Web server) or
 * Node's `IncomingHttpHeaders` (Express, Fastify, Nest), whose names Node already lower-cased.
 */
export type ReceivedHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * The lookup for adapters' headers: no shape detection or case folding, so that edge
 * bundles (size-budgeted) do not carry `toHeaderMap`'s conversions of arbitrary input.
 */
export function receivedHeaders(headers: ReceivedHeaders): HeaderMap {
  const get = (headers as { get?: unknown }).get;
  // A record could hold a header named "get", but its value is a string, never a function.
  if (typeof get === 'function') return { get: (lowerCaseName) => (headers as Headers).get(lowerCaseName) ?? undefined };
  return { get: (lowerCaseName) => (headers as Record<string, unknown>)[lowerCaseName] };
}

/** A lookup over any supported header shape; input of an unsupported shape has no headers. */
export function toHeaderMap(headers: unknown): HeaderMap {
  if (typeof headers !== 'object' || headers === null) return NO_HEADERS;
  if (isFetchHeaders(headers)) return { get: (lowerCaseName) => headers.get(lowerCaseName) ?? undefined };
  if (isIterable(headers)) return fromEntries(headers);
  return objectHeaders(headers as Record<string, unknown>);
}

const NON_ASCII = /[\u0080-\uffff]/;

/** Reads one header by its lower-case name. */
export function readHeader(map: HeaderMap, lowerCaseName: string): HeaderValue {
  return headerText(map.get(lowerCaseName), false);
}

/**
 * A header judged by its first value (Content-Type), as a repeated header is: Node keeps only
 * the first, a fetch `Headers` joins them with ", " — so the text before the first comma.
 * Otherwise as `readHeader`.
 */
export function readFirstHeaderValue(map: HeaderMap, lowerCaseName: string): HeaderValue {
  return headerText(map.get(lowerCaseName), true);
}

function headerText(raw: unknown, firstOnly: boolean): HeaderValue {
  if (Array.isArray(raw)) raw = raw[0];
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string') return null;
  const comma = firstOnly ? raw.indexOf(',') : -1;
  const value = (comma === -1 ? raw : raw.slice(0, comma)).trim();
  if (value === '') return undefined;
  return NON_ASCII.test(value) ? null : value;
}
