/**
 * Header bags are handled as plain records with lower-case names, so "caller's value wins"
 * and "strip this header" rules are case-insensitive by construction.
 */
export type HeaderBag = Record<string, string>;

/** Anything a caller may pass as headers; `undefined` values are dropped. */
export type HeadersLike =
  | Headers
  | ReadonlyArray<readonly [string, string]>
  | Readonly<Record<string, string | undefined>>
  | undefined;

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
