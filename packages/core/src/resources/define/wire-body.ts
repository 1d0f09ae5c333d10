import { KnoxCallError } from '../../errors.js';

/**
 * Request bodies are built only from the members the caller gave (contract resources §0):
 * `undefined` members are omitted; `null`, `false`, `0`, `""`, `[]` and `{}` are sent.
 */

/** A JSON object body as it goes on the wire (before the transport's JSON conversion). */
export type WireBody = Record<string, unknown>;

/** Marker for endpoints that send no body and no Content-Type (e.g. DELETE, `webhooks.test`). */
export const NO_BODY = undefined;

/**
 * The given members of `input`, as a fresh object; `{}` when `input` is undefined
 * (so a PATCH with no members, or a POST whose input is optional, sends `{}`).
 */
export function fields(input: object | undefined): WireBody {
  const out: WireBody = {};
  if (input === undefined || input === null) return out;
  if (typeof input !== 'object' || Array.isArray(input)) {
    // Only reachable from untyped callers; an array or string would otherwise be spread key by key.
    throw new KnoxCallError(`Invalid input: expected an object of wire fields, got ${Array.isArray(input) ? 'an array' : typeof input}.`);
  }
  for (const [key, value] of Object.entries(input)) {
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/**
 * Like `fields`, but members missing from `input` (undefined) take the given defaults: for
 * endpoints whose contract says "always sent, defaulting to …" (e.g. `clients.create` `type`).
 */
export function fieldsWithDefaults(input: object | undefined, defaults: WireBody): WireBody {
  return { ...defaults, ...fields(input) };
}
