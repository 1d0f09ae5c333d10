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
  if (typeof getter === 'function') {
    const value = (getter as (n: string) => unknown).call(headers, name);
    return typeof value === 'string' && value.length > 0 ? value : undefined;
  }
  if (Array.isArray(headers) && headers.every((entry) => typeof entry === 'string')) {
    let found: string | undefined;
    for (let i = 0; i + 1 < headers.length; i += 2) {
      if ((headers[i] as string).toLowerCase() === name.toLowerCase() && found === undefined) found = headers[i + 1] as string;
    }
    return found !== undefined && found.length > 0 ? found : undefined;
  }
  if (typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function') {
    let found: unknown;
    for (const entry of headers as Iterable<readonly [string, unknown]>) {
      if (Array.isArray(entry) && typeof entry[0] === 'string' && entry[0].toLowerCase() === name.toLowerCase()) found = entry[1];
    }
    const first = Array.isArray(found) ? found[0] : found;
    return typeof first === 'string' && first.length > 0 ? first : undefined;
  }
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  const lower = name.toLowerCase();
  let value = record[lower];
  if (value === undefined) {
    for (const key of Object.keys(record)) {
      if (key.toLowerCase() === lower) value = record[key];
    }
  }
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first.length > 0 ? first : undefined;
}
