/**
 * A small LRU of imported HMAC keys, one per secret, shared by both HMAC providers:
 * importing a key (Web Crypto) or preparing one (node:crypto) costs a sizeable part of
 * verifying a small delivery, and a receiver uses the same one or two secrets all along.
 *
 * Keyed by the secret string itself, in memory only: hashing it first would cost a digest
 * per verification, and the process holding this cache already holds the secret in its
 * configuration. At most `capacity` (64) secrets are kept, so per-request secrets cannot
 * grow it without bound.
 */
export class SecretKeyCache<K> {
  // #private: also lets minifiers shorten the names (edge bundles are size-budgeted).
  readonly #entries = new Map<string, K>();
  #mostRecent: string | undefined;
  readonly #capacity: number;

  constructor(capacity = 64) {
    this.#capacity = capacity;
  }

  get(secret: string, create: (secret: string) => K): K {
    const cached = this.#entries.get(secret);
    if (cached !== undefined) {
      // Re-insert so the Map's insertion order is least-recently-used first (skipped when
      // it is already last: the usual case of one secret).
      if (this.#mostRecent !== secret) {
        this.#entries.delete(secret);
        this.#entries.set(secret, cached);
        this.#mostRecent = secret;
      }
      return cached;
    }
    this.#mostRecent = secret;
    const created = create(secret);
    this.#entries.set(secret, created);
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    return created;
  }

  /** Drops `secret` if it still maps to `value` (e.g. a key import that failed). */
  forget(secret: string, value: K): void {
    if (this.#entries.get(secret) === value) {
      this.#entries.delete(secret);
      if (this.#mostRecent === secret) this.#mostRecent = undefined;
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
