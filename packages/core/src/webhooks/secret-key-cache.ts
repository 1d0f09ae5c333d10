/**
 * Imported HMAC keys, one per secret, shared by both HMAC providers: importing a key (Web
 * Crypto) or preparing one (node:crypto) costs a sizeable part of verifying a small
 * delivery, and a receiver uses the same one or two secrets all along.
 *
 * Keyed by the secret string itself, in memory only: hashing it first would cost a digest
 * per verification, and the process holding this cache already holds the secret in its
 * configuration. At most `capacity` (64) secrets are kept: when full it starts over rather
 * than track recency — only per-request secrets of many tenants fill it, and then each key
 * is imported again at most once per `capacity` new secrets (and the edge bundle that
 * carries this stays small).
 */
export class SecretKeyCache<K> {
  // #private: also lets minifiers shorten the names (edge bundles are size-budgeted).
  readonly #entries = new Map<string, K>();
  readonly #capacity: number;

  constructor(capacity = 64) {
    this.#capacity = capacity;
  }

  get(secret: string, create: (secret: string) => K): K {
    let value = this.#entries.get(secret);
    if (value === undefined) {
      if (this.#entries.size >= this.#capacity) this.#entries.clear();
      value = create(secret);
      this.#entries.set(secret, value);
    }
    return value;
  }

  /** Drops `secret` if it still maps to `value` (e.g. a key import that failed). */
  forget(secret: string, value: K): void {
    if (this.#entries.get(secret) === value) this.#entries.delete(secret);
  }

  get size(): number {
    return this.#entries.size;
  }
}
