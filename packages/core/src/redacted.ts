const INSPECT = Symbol.for('nodejs.util.inspect.custom');
const REDACTED = '[REDACTED]';

/**
 * Holds a secret so that it never prints: `String()`, template literals, `JSON.stringify`
 * and Node's `util.inspect` all give `[REDACTED]`. Only `expose()` returns the value, and
 * only code that builds a request header should call it.
 */
export class Redacted<T = string> {
  readonly #value: T;

  constructor(value: T) {
    this.#value = value;
  }

  expose(): T {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [INSPECT](): string {
    return REDACTED;
  }
}
