import { KnoxCallError } from '../../errors.js';

/** What may fill a `{placeholder}` of a resource path: an id, a name, or an integer. */
export type PathValue = string | number | bigint;

/**
 * A resource path whose placeholders are rendered lazily, so that a bad id rejects the
 * method's promise (a typed error) instead of throwing synchronously from the call site.
 */
export class ResourcePath {
  readonly #strings: readonly string[];
  readonly #values: readonly unknown[];

  constructor(strings: readonly string[], values: readonly unknown[]) {
    this.#strings = strings;
    this.#values = values;
  }

  /** The path with every placeholder percent-encoded as exactly one segment. */
  render(): string {
    let out = this.#strings[0] ?? '';
    for (let i = 0; i < this.#values.length; i += 1) {
      out += encodeSegment(this.#values[i], this) + (this.#strings[i + 1] ?? '');
    }
    return out;
  }

  /** The path with `{…}` where the placeholders are: names the endpoint in error messages. */
  template(): string {
    return this.#strings.join('{…}');
  }

  toString(): string {
    return this.template();
  }
}

/** `path` names the endpoint in an error; its template is only built when one is thrown. */
function encodeSegment(value: unknown, path: ResourcePath): string {
  if (typeof value === 'bigint') return value.toString(10);
  if (typeof value === 'number') {
    // Integers render as plain decimal digits even when large (String(1e21) would say "1e+21").
    if (Number.isInteger(value)) return BigInt(value).toString(10);
    throw new KnoxCallError(`Invalid path parameter for ${path.template()}: expected an integer or a string, got ${value}.`);
  }
  if (typeof value === 'string') {
    if (value === '') {
      throw new KnoxCallError(`Invalid path parameter for ${path.template()}: the id/name is an empty string; pass the resource's id or name.`);
    }
    // encodeURIComponent: "/" → %2F and " " → %20, so a value is always one segment (contract transport §3.1).
    return encodeURIComponent(value);
  }
  const got = value === null ? 'null' : typeof value;
  throw new KnoxCallError(`Invalid path parameter for ${path.template()}: expected a string or an integer, got ${got}.`);
}

/**
 * Tagged template for resource paths: ``path`/v1/routes/${id}/logs` `` encodes `id` as one
 * segment. Static paths may stay plain strings.
 */
export function path(strings: TemplateStringsArray, ...values: PathValue[]): ResourcePath {
  // A template's strings array is frozen (and the same one on every call of that site): no copy needed.
  return new ResourcePath(strings, values);
}

/** A plain string path or a `path```…`` template. */
export type PathLike = string | ResourcePath;

export function renderPath(p: PathLike): string {
  return typeof p === 'string' ? p : p.render();
}
