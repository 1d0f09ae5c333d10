import { KnoxCallError } from '../errors.js';

/**
 * Query encoding (contract transport §3.4, our choice): `undefined`/`null` dropped,
 * booleans `true`/`false`, numbers and bigints decimal, Dates ISO, arrays repeat the key.
 * Spaces become `+`, reserved characters are percent-encoded (URLSearchParams rules).
 */
export function encodeQuery(query: Readonly<Record<string, unknown>> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (Array.isArray(value)) {
      for (const element of value) {
        const text = queryValue(key, element);
        if (text !== undefined) params.append(key, text);
      }
    } else {
      const text = queryValue(key, value);
      if (text !== undefined) params.append(key, text);
    }
  }
  return params.toString();
}

function queryValue(key: string, value: unknown): string | undefined {
  switch (typeof value) {
    case 'undefined':
      return undefined;
    case 'string':
      return value;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) {
        throw new KnoxCallError(`query parameter "${key}" is ${value}; pass a finite number`);
      }
      return String(value);
    case 'bigint':
      return value.toString();
    default:
      if (value === null) return undefined;
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) {
          throw new KnoxCallError(`query parameter "${key}" is an invalid Date`);
        }
        return value.toISOString();
      }
      if (value instanceof URL) return value.href;
      throw new KnoxCallError(
        `query parameter "${key}" has an unsupported type (${typeof value}); pass a string, number, boolean, bigint, Date or an array of them`,
      );
  }
}

/**
 * `base` + `path` (a leading `/` added if missing) + the encoded query, merged with any
 * query string already present in `path` (never replacing it).
 */
export function buildUrl(base: string, path: string, query?: Readonly<Record<string, unknown>>): string {
  const normalizedPath = path.startsWith('/') ? path : `/${path}`;
  const encoded = encodeQuery(query);
  if (encoded === '') return base + normalizedPath;
  const hash = normalizedPath.indexOf('#');
  const beforeHash = hash === -1 ? normalizedPath : normalizedPath.slice(0, hash);
  const fragment = hash === -1 ? '' : normalizedPath.slice(hash);
  const separator = !beforeHash.includes('?') ? '?' : beforeHash.endsWith('?') || beforeHash.endsWith('&') ? '' : '&';
  return base + beforeHash + separator + encoded + fragment;
}

/** The URL without its query string and fragment (what telemetry and DPoP `htu` see). */
export function stripQuery(url: string): string {
  const hash = url.indexOf('#');
  const noHash = hash === -1 ? url : url.slice(0, hash);
  const question = noHash.indexOf('?');
  return question === -1 ? noHash : noHash.slice(0, question);
}
