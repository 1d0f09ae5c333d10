import type { ResponseHeaderReader } from '../transport/direct-sender.js';

/** Header lines as undici's dispatcher hands them over: name, value, name, value… */
export type RawHeaderLines = ReadonlyArray<Buffer | ReadonlyArray<Buffer>>;

/**
 * Each header of the raw lines as fetch reads them: name and value bytes as latin1 (names as
 * sent), every value of a repeated header (an array) on its own, in order.
 */
export function forEachRawHeader(lines: RawHeaderLines, callback: (name: string, value: string) => void): void {
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const name = (lines[i] as Buffer).toString('latin1');
    const value = lines[i + 1] as Buffer | ReadonlyArray<Buffer>;
    if (Array.isArray(value)) for (const one of value as ReadonlyArray<Buffer>) callback(name, one.toString('latin1'));
    else callback(name, (value as Buffer).toString('latin1'));
  }
}

/**
 * Response headers read from the dispatcher's raw lines with the rules fetch's `Headers`
 * follows, so a management call observes the same values whichever transport carried it:
 * names lower-cased, bytes read as latin1, repeated names joined with ", " by `get`, and
 * `forEach` in name order with each `set-cookie` separately. No WHATWG `Headers` is built:
 * the warm path reads two or three names.
 */
export class RawResponseHeaders implements ResponseHeaderReader {
  readonly #names: string[] = [];
  readonly #values: string[] = [];

  constructor(lines: RawHeaderLines) {
    forEachRawHeader(lines, (name, value) => {
      this.#names.push(name.toLowerCase());
      this.#values.push(value);
    });
  }

  get(name: string): string | null {
    const wanted = name.toLowerCase();
    const names = this.#names;
    let found: string | null = null;
    for (let i = 0; i < names.length; i++) {
      if (names[i] === wanted) found = found === null ? (this.#values[i] as string) : `${found}, ${this.#values[i]}`;
    }
    return found;
  }

  forEach(callback: (value: string, name: string) => void): void {
    const sorted = [...new Set(this.#names)].sort();
    for (const name of sorted) {
      if (name !== 'set-cookie') {
        callback(this.get(name) as string, name);
        continue;
      }
      this.#names.forEach((each, i) => {
        if (each === name) callback(this.#values[i] as string, name);
      });
    }
  }
}
