import { KnoxCall, type KnoxCallOptions } from '@knoxcall/core';

/**
 * Clients built from per-request options (Workers bindings), one per credential, so they
 * keep their token cache across requests instead of starting cold each time. Bounded:
 * past `maxClients` the least recently used is dropped (not closed — a request may still
 * be using it; it is collected once idle).
 *
 * The key is a hash of what identifies the credential and where it is sent, never the
 * secret itself, so no secret sits in the map's keys (heap snapshots, debug dumps).
 */
export class CredentialClientCache {
  readonly #clients = new Map<string, KnoxCall>();

  constructor(readonly maxClients: number) {}

  get(options: KnoxCallOptions): KnoxCall {
    const key = credentialKey(options);
    const cached = this.#clients.get(key);
    if (cached !== undefined) {
      // Re-insert so the Map's insertion order is least recently used first.
      this.#clients.delete(key);
      this.#clients.set(key, cached);
      return cached;
    }
    const client = new KnoxCall(options);
    this.#clients.set(key, client);
    if (this.#clients.size > this.maxClients) {
      const oldest = this.#clients.keys().next();
      if (!oldest.done) this.#clients.delete(oldest.value);
    }
    return client;
  }

  get size(): number {
    return this.#clients.size;
  }

  /** Closes every cached client (they were all built here). */
  async close(): Promise<void> {
    const clients = [...this.#clients.values()];
    this.#clients.clear();
    await Promise.all(clients.map((client) => client.close()));
  }
}

/** The options that decide which credential is used and where calls go. */
const IDENTITY_FIELDS = [
  'baseUrl',
  'proxyBaseUrl',
  'tenant',
  'environment',
  'sandbox',
  'clientId',
  'clientSecret',
  'apiKey',
  'accessToken',
  'scope',
] as const satisfies ReadonlyArray<keyof KnoxCallOptions>;

/**
 * A 64-bit hash (two independent 32-bit multiplicative lanes) of the identity fields.
 * Synchronous, so resolving the client adds no await to every request; the inputs come
 * from the app's own configuration, not from callers, so a non-cryptographic hash is
 * enough to tell configurations apart. Other settings (retry, timeout, fetchImpl,
 * tokenStore, …) are taken from the first options that produced the key.
 */
export function credentialKey(options: KnoxCallOptions): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (const field of IDENTITY_FIELDS) {
    const value = options[field];
    const text = `${field}=${value === undefined ? '' : String(value)}\u0000`;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      a = Math.imul(a ^ code, 0x01000193);
      b = Math.imul(b ^ code, 0x5bd1e995);
      b ^= b >>> 15;
    }
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}
