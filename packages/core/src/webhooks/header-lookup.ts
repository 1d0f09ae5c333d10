/**
 * Case-insensitive header reading (contract webhooks.md §2): names are lower-cased, the last
 * of two names differing only in case wins, a list uses its first element, values are
 * trimmed, and an empty value counts as missing. A value that is not a string or holds
 * non-ASCII characters is `unusable`: the verifier treats it as a signature mismatch,
 * never as an exception.
 */

export type HeaderValue = { readonly kind: 'missing' } | { readonly kind: 'unusable' } | { readonly kind: 'present'; readonly value: string };

const MISSING: HeaderValue = Object.freeze({ kind: 'missing' });
const UNUSABLE: HeaderValue = Object.freeze({ kind: 'unusable' });

export type HeaderMap = ReadonlyMap<string, unknown>;

function isIterable(value: object): value is Iterable<unknown> {
  return typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
}

/** Builds the lower-cased header map; input of an unsupported shape yields no headers. */
export function toHeaderMap(headers: unknown): HeaderMap {
  const map = new Map<string, unknown>();
  if (typeof headers !== 'object' || headers === null) return map;
  if (isIterable(headers)) {
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
  for (const name of Object.keys(headers)) {
    map.set(name.toLowerCase(), (headers as Record<string, unknown>)[name]);
  }
  return map;
}

function isAscii(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Reads one header by its lower-case name. */
export function readHeader(map: HeaderMap, lowerCaseName: string): HeaderValue {
  let raw = map.get(lowerCaseName);
  if (Array.isArray(raw)) raw = raw[0];
  if (raw === undefined || raw === null) return MISSING;
  if (typeof raw !== 'string') return UNUSABLE;
  const value = raw.trim();
  if (value === '') return MISSING;
  if (!isAscii(value)) return UNUSABLE;
  return { kind: 'present', value };
}
