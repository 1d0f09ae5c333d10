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
 * Reads one header by name, ignoring case. A repeated header given as an array yields its
 * first value (contract webhooks.md §2); an absent or empty header yields undefined.
 */
export function readHeader(headers: HeaderSource | undefined, name: string): string | undefined {
  if (headers === undefined || headers === null) return undefined;
  const getter = (headers as { get?: unknown }).get;
  if (typeof getter === 'function') return nonEmpty((getter as (n: string) => unknown).call(headers, name));
  const lower = name.toLowerCase();
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
  return nonEmpty(Array.isArray(found) ? found[0] : found);
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
