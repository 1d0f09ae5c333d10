import { KnoxCallError } from '../errors.js';

export type JsonReplacer = (this: unknown, key: string, value: unknown) => unknown;

/** A request body ready for fetch, encoded once per logical call and reused by every attempt. */
export interface EncodedBody {
  body: BodyInit | undefined;
  /**
   * The Content-Type to add when the caller set none: `application/json` for JSON and
   * string bodies, undefined for binary/Blob/FormData/stream bodies (fetch or the caller decides).
   */
  defaultContentType: string | undefined;
  /** True when the SDK itself serialised a value to JSON (ephemeral transparent mode cares). */
  serializedJson: boolean;
  /** False for a ReadableStream: it can be sent once, so it is never retried or re-sent. */
  replayable: boolean;
}

const JSON_TYPE = 'application/json';

const NO_BODY: EncodedBody = { body: undefined, defaultContentType: undefined, serializedJson: false, replayable: true };

function isBinary(value: unknown): value is ArrayBuffer | ArrayBufferView {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

function isPassThrough(value: unknown): value is Blob | FormData | URLSearchParams {
  return (
    (typeof Blob !== 'undefined' && value instanceof Blob) || (typeof FormData !== 'undefined' && value instanceof FormData) || value instanceof URLSearchParams
  );
}

function isStream(value: unknown): value is ReadableStream {
  return typeof ReadableStream !== 'undefined' && value instanceof ReadableStream;
}

/**
 * Encodes a request body per contract transport §3.3: null/undefined → none; strings
 * verbatim (JSON type by default); binary, Blob, FormData, URLSearchParams and streams
 * handed to fetch untouched; anything else JSON with the contract's type mapping.
 * Throws `KnoxCallError` before anything is sent when the value cannot be represented.
 */
export function encodeRequestBody(value: unknown, replacer?: JsonReplacer): EncodedBody {
  if (value === undefined || value === null) return NO_BODY;
  if (typeof value === 'string') {
    return { body: value, defaultContentType: JSON_TYPE, serializedJson: false, replayable: true };
  }
  if (isBinary(value)) {
    return { body: value as BodyInit, defaultContentType: undefined, serializedJson: false, replayable: true };
  }
  if (isPassThrough(value)) {
    return { body: value, defaultContentType: undefined, serializedJson: false, replayable: true };
  }
  if (isStream(value)) {
    return { body: value, defaultContentType: undefined, serializedJson: false, replayable: false };
  }
  return { body: encodeJson(value, replacer), defaultContentType: JSON_TYPE, serializedJson: true, replayable: true };
}

/**
 * JSON text for `value` with the contract's conversions: Date → ISO, bigint → decimal
 * string, Set → array, Map → object (keys via `String`), URL → href, `toJSON` honoured.
 * NaN/±Infinity, invalid Dates and nested binary values are errors (plain JSON.stringify
 * would quietly send `null` or a byte dump). A caller's `jsonReplacer` runs first on each
 * member and the built-in conversions apply to what it returns.
 */
export function encodeJson(value: unknown, replacer?: JsonReplacer): string {
  const convert = function (this: unknown, key: string, current: unknown): unknown {
    const raw = (this as Record<string, unknown>)[key];
    const replaced = replacer ? replacer.call(this, key, current) : current;
    // JSON.stringify has already called toJSON, so look at the holder's raw member.
    if (replaced === current) {
      if (raw instanceof Date && Number.isNaN(raw.getTime())) {
        throw new KnoxCallError(`cannot encode the request body: ${where(key)} is an invalid Date`);
      }
      if (isBinary(raw)) {
        throw new KnoxCallError(`cannot encode the request body: ${where(key)} is binary data; base64-encode it into the matching *_b64 field instead`);
      }
    }
    return builtIn(key, replaced);
  };
  let text: string | undefined;
  try {
    text = JSON.stringify(value, convert);
  } catch (error) {
    if (error instanceof KnoxCallError) throw error;
    // e.g. a circular structure
    throw new KnoxCallError(`cannot encode the request body as JSON: ${(error as Error).message}`, { cause: error });
  }
  if (text === undefined) {
    throw new KnoxCallError(`cannot encode the request body as JSON: a ${typeof value} has no JSON form`);
  }
  return text;
}

function where(key: string): string {
  return key === '' ? 'the body' : `member "${key}"`;
}

function builtIn(key: string, value: unknown): unknown {
  switch (typeof value) {
    case 'bigint':
      return value.toString();
    case 'number':
      if (!Number.isFinite(value)) {
        throw new KnoxCallError(`cannot encode the request body: ${where(key)} is ${value}, which JSON cannot represent; send a finite number or a string`);
      }
      return value;
    case 'object':
      if (value === null) return null;
      if (value instanceof Set) return Array.from(value);
      if (value instanceof Map) {
        const out: Record<string, unknown> = {};
        for (const [k, v] of value) out[String(k)] = v;
        return out;
      }
      if (value instanceof URL) return value.href;
      if (isBinary(value)) {
        throw new KnoxCallError(`cannot encode the request body: ${where(key)} is binary data; base64-encode it into the matching *_b64 field instead`);
      }
      return value;
    default:
      return value;
  }
}
