/**
 * Every way core reads or builds HTTP headers, in one place, because the rules differ on
 * purpose and must not drift into each other:
 *
 * - **Webhook headers** (signature verification and the delivery's content headers): the
 *   contract's rules — names compared in lower case, a list uses its first element, values
 *   trimmed, empty counts as missing, a non-string or non-ASCII value is unusable.
 *   `readWebhookHeader`, `readWebhookHeaderFirstValue`.
 * - **Forwarded headers** (request-scoped views of an adapter): the first value as the
 *   framework gave it, untrimmed, whatever its characters. `readForwardedHeader`.
 * - **Header bags** (outgoing calls): plain records with lower-case names, so "caller's
 *   value wins" and "strip this header" are case-insensitive by construction.
 *
 * Edge-safe: no node: imports, no Buffer.
 */

// --- Webhook headers: the contract's trimming and ASCII rules ----------------------------

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

/** Reads one header of a webhook delivery by its lower-case name, by the contract's rules. */
export function readWebhookHeader(map: HeaderMap, lowerCaseName: string): HeaderValue {
  return headerText(map.get(lowerCaseName), false);
}

/**
 * A header judged by its first value (Content-Type), as a repeated header is: Node keeps only
 * the first, a fetch `Headers` joins them with ", " — so the text before the first comma.
 * Otherwise as `readWebhookHeader`.
 */
export function readWebhookHeaderFirstValue(map: HeaderMap, lowerCaseName: string): HeaderValue {
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

// --- Forwarded headers: the first value, as is -------------------------------------------

/**
 * Every header shape an adapter meets: Node's `IncomingHttpHeaders` (lower-case names,
 * `string | string[]`), a WHATWG `Headers`, or a plain record with any casing.
 */
export type HeaderSource =
  | Headers
  | { get(name: string): string | null | undefined }
  | Readonly<Record<string, string | readonly string[] | undefined>>
  | Iterable<readonly [string, string | readonly string[] | undefined]>
  /** Node's flat `rawHeaders`: [name, value, name, value, …]. */
  | readonly string[];

/**
 * Reads one header to forward, by name, ignoring case: a repeated header given as an array
 * yields its first value, as is (no trimming, any characters); an absent or empty header
 * yields undefined.
 */
export function readForwardedHeader(headers: HeaderSource | undefined, name: string): string | undefined {
  // A `get` method (WHATWG Headers, a framework's accessor) is asked with the name as given.
  if (typeof (headers as { get?: unknown } | undefined | null)?.get === 'function') return readLowerCaseForwardedHeader(headers, name);
  return readLowerCaseForwardedHeader(headers, name.toLowerCase());
}

/**
 * readForwardedHeader for a name already in lower case (or for a source with a `get`
 * method, which is asked with the name as given): the adapters' forwarded names are
 * lower-case constants, and lower-casing them again for every incoming request is wasted work.
 */
export function readLowerCaseForwardedHeader(headers: HeaderSource | undefined, lower: string): string | undefined {
  if (headers === undefined || headers === null) return undefined;
  const getter = (headers as { get?: unknown }).get;
  if (typeof getter === 'function') return nonEmptyString((getter as (n: string) => unknown).call(headers, lower));
  let found: unknown;
  if (Array.isArray(headers) && headers.every((entry) => typeof entry === 'string')) {
    // Node's flat rawHeaders: the first occurrence.
    for (let i = 0; i + 1 < headers.length; i += 2) {
      if ((headers[i] as string).toLowerCase() === lower) {
        found = headers[i + 1];
        break;
      }
    }
  } else if (typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function') {
    // [name, value] pairs: the last occurrence.
    for (const entry of headers as Iterable<readonly [string, unknown]>) {
      if (Array.isArray(entry) && typeof entry[0] === 'string' && entry[0].toLowerCase() === lower) found = entry[1];
    }
  } else {
    // A record: the lower-case name, else the last name that matches ignoring case.
    const record = headers as Readonly<Record<string, unknown>>;
    found = record[lower];
    if (found === undefined) {
      for (const key of Object.keys(record)) {
        // Length first: most keys differ in length, and lower-casing each costs an allocation.
        if (key.length === lower.length && key.toLowerCase() === lower) found = record[key];
      }
    }
  }
  return nonEmptyString(Array.isArray(found) ? found[0] : found);
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

// --- Header bags for outgoing calls ---------------------------------------------------------

/** Outgoing headers: a plain record with lower-case names. */
export type HeaderBag = Record<string, string>;

/** Anything a caller may pass as headers; `undefined` values are dropped. */
export type HeadersLike = Headers | ReadonlyArray<readonly [string, string]> | Readonly<Record<string, string | undefined>> | undefined;

/** Lower-cased copy of `input`; for duplicate names (different case) the last one wins. */
export function toHeaderBag(input: HeadersLike): HeaderBag {
  const out: HeaderBag = {};
  if (input === undefined || input === null) return out;
  if (typeof Headers !== 'undefined' && input instanceof Headers) {
    input.forEach((value, name) => {
      out[name] = value;
    });
    return out;
  }
  if (Array.isArray(input)) {
    for (const [name, value] of input as ReadonlyArray<readonly [string, string]>) out[name.toLowerCase()] = String(value);
    return out;
  }
  for (const [name, value] of Object.entries(input as Record<string, string | undefined>)) {
    if (value !== undefined && value !== null) out[name.toLowerCase()] = String(value);
  }
  return out;
}

/** Later bags win, case-insensitively. */
export function mergeHeaderBags(...bags: Array<HeaderBag | undefined>): HeaderBag {
  const out: HeaderBag = {};
  for (const bag of bags) if (bag) Object.assign(out, bag);
  return out;
}

/**
 * A writable copy of a header bag. A plain key loop: on Node 20 an object spread of these
 * hyphen-named records took ~1 µs against ~0.1 µs for this, and every call copies its
 * prebuilt base bag once per attempt.
 */
export function copyHeaderBag(bag: Readonly<HeaderBag>): HeaderBag {
  const out: HeaderBag = {};
  const names = Object.keys(bag);
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    out[name] = bag[name] as string;
  }
  return out;
}

/**
 * An object literal (what adapters pass for every request, and most callers): copied with
 * a plain loop by `lowerCasedRecord`. toHeaderBag's general path (a `Headers` check, then
 * Object.entries) was ~1.4% of a Nest-on-Fastify server's CPU with @Knox() on every request.
 */
export function isPlainRecord(value: object): value is Readonly<Record<string, string | undefined>> {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Same result as toHeaderBag for a record: lower-case names, undefined/null values dropped, the last of equal names wins. */
export function lowerCasedRecord(record: Readonly<Record<string, string | undefined>>): HeaderBag {
  const out: HeaderBag = {};
  const names = Object.keys(record);
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const value: unknown = record[name];
    if (value !== undefined && value !== null) out[name.toLowerCase()] = typeof value === 'string' ? value : String(value);
  }
  return out;
}
