/**
 * Clients built from per-request options (an adapter's `clientOptions` function, e.g. one
 * credential per tenant from Workers bindings), one per distinct set of options, so each
 * keeps its token cache across requests instead of starting cold. The key covers EVERY
 * option: the credential by its identity (`auth/cache-key.ts`), plain data by value, and
 * anything the key cannot look into (a custom `fetchImpl`, a token store instance, hook
 * functions, class instances) by object identity — never dropped, so two option sets that
 * could make a client act differently never share one.
 *
 * Edge-safe and synchronous: the lookup runs on every request, and Web Crypto's digest is
 * async, so the key is hashed with the plain-JS SHA-256 of `auth/sha256.ts`, salted with a
 * per-process random value; no secret sits in the map's keys (heap snapshots, debug dumps).
 */
import { credentialIdentity } from '../auth/cache-key.js';
import { explicitBootstrap } from '../auth/credential-options.js';
import { sha256Hex } from '../auth/sha256.js';
import { KnoxCallError } from '../errors.js';
import type { KnoxCallOptions } from '../config/options.js';

/** Anything the cache can build and close: a `KnoxCall` in practice. */
export interface CachedClient {
  close(): Promise<void>;
}

export interface ClientCacheOptions<C extends CachedClient> {
  /** At most this many clients; past it the least recently used is dropped. A whole number ≥ 1. */
  maxClients: number;
  /**
   * Builds a client for options not seen yet — `(options) => new KnoxCall(options)` with the
   * adapter's own import, so the client comes from the build (Node or Web) the app resolved.
   */
  create(options: KnoxCallOptions): C;
}

/** Options that make up the credential; the key holds their identity instead of their values. */
const CREDENTIAL_FIELDS = new Set(['bootstrap', 'clientId', 'clientSecret', 'accessToken', 'apiKey']);

export class ClientCache<C extends CachedClient> {
  readonly maxClients: number;
  readonly #create: (options: KnoxCallOptions) => C;
  readonly #clients = new Map<string, C>();

  constructor(options: ClientCacheOptions<C>) {
    const { maxClients, create } = options;
    if (!Number.isSafeInteger(maxClients) || maxClients < 1) {
      throw new KnoxCallError(`ClientCache: maxClients must be a whole number ≥ 1, got ${String(maxClients)}`);
    }
    if (typeof create !== 'function') throw new KnoxCallError('ClientCache: create must be a function (options) => client');
    this.maxClients = maxClients;
    this.#create = create;
  }

  /**
   * The client for these options: the cached one when every option matches one seen before,
   * else a new one. Evicted clients are dropped, not closed — a request may still be using
   * one; it holds no I/O object of its own and is collected once idle.
   */
  clientFor(options: KnoxCallOptions): C {
    const key = clientCacheKey(options);
    const cached = this.#clients.get(key);
    if (cached !== undefined) {
      // Re-insert so the Map's insertion order is least recently used first.
      this.#clients.delete(key);
      this.#clients.set(key, cached);
      return cached;
    }
    const client = this.#create(options);
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

  /** Closes every cached client (they were all built here) and empties the cache. */
  async close(): Promise<void> {
    const clients = [...this.#clients.values()];
    this.#clients.clear();
    await Promise.all(clients.map((client) => client.close()));
  }
}

/**
 * The cache key of a set of client options: 64 hex digits, a salted SHA-256 of a canonical
 * description of every option (see the file comment). Throws the client's own
 * `BootstrapError` for conflicting credential options.
 */
export function clientCacheKey(options: KnoxCallOptions): string {
  if (typeof options !== 'object' || options === null) {
    throw new KnoxCallError('client options must be an object');
  }
  const bootstrap = explicitBootstrap(options);
  // Without explicit credentials every client of the process auto-detects the same ones.
  const parts = [`credential=${bootstrap === undefined ? 'auto-detected' : credentialIdentity(bootstrap)}`];
  const record = options as Record<string, unknown>;
  for (const name of Object.keys(record).sort()) {
    if (CREDENTIAL_FIELDS.has(name) || record[name] === undefined) continue;
    parts.push(`${name}=${describe(record[name], new Set())}`);
  }
  return sha256Hex(`${processSalt()}\u0000${parts.join('\u0000')}`);
}

/** Plain data by value (objects with sorted keys); functions and instances by identity. */
function describe(value: unknown, seen: Set<object>): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'function' || seen.has(value) || !isPlainData(value)) return `#${identityOf(value)}`;
  seen.add(value);
  const text = Array.isArray(value)
    ? `[${value.map((item) => describe(item, seen)).join(',')}]`
    : `{${Object.keys(value)
        .sort()
        .map((key) => `${JSON.stringify(key)}:${describe((value as Record<string, unknown>)[key], seen)}`)
        .join(',')}}`;
  seen.delete(value);
  return text;
}

function isPlainData(value: object): boolean {
  if (Array.isArray(value)) return true;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

const identities = new WeakMap<object, number>();
let nextIdentity = 1;

/** A number per object or function, for as long as it lives (the WeakMap does not keep it alive). */
function identityOf(value: object): number {
  let id = identities.get(value);
  if (id === undefined) {
    id = nextIdentity++;
    identities.set(value, id);
  }
  return id;
}

let salt: string | undefined;

/** Drawn on first use, so constructing clients never draws random bytes. */
function processSalt(): string {
  salt ??= Array.from(globalThis.crypto.getRandomValues(new Uint32Array(4)), (n) => n.toString(16)).join('.');
  return salt;
}
