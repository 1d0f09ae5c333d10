import { ApiError } from '../../errors.js';

/**
 * Small helpers shared by the extended-tier handlers: they copy only the members a request
 * actually carried (so the emulator reports exactly what the server would store) and turn
 * a missing row into the canonical 404.
 */

/** Copies each member of `keys` that `body` carries (not undefined) onto `row`. */
export function applyGiven<T extends object>(row: T, body: Record<string, unknown>, keys: readonly string[]): T {
  const target = row as Record<string, unknown>;
  for (const key of keys) if (body[key] !== undefined) target[key] = body[key];
  return row;
}

/** Members of `body` outside `allowed`, so a handler can refuse them like the server does. */
export function unknownKeys(body: Record<string, unknown>, allowed: readonly string[]): string[] {
  return Object.keys(body).filter((k) => !allowed.includes(k));
}

export function found<T>(map: ReadonlyMap<string, T>, id: string | undefined, what: string): T {
  const row = id === undefined ? undefined : map.get(id);
  if (row === undefined) throw ApiError.notFound(what);
  return row;
}

/** Rows in insertion order, filtered. */
export function rowsOf<T>(map: ReadonlyMap<string, T>, keep: (row: T) => boolean = () => true): T[] {
  return [...map.values()].filter(keep);
}
