/**
 * The default token store: a process-local Map with a strict FIFO mutex per key (contract
 * auth §6.2; our choice: every waiter queues behind the previous one, so three or more
 * concurrent callers are serialised too).
 */
import type { CachedToken, TokenStore } from './token-store.js';

export class MemoryTokenStore implements TokenStore {
  readonly #tokens = new Map<string, CachedToken>();
  /** Tail of each key's lock queue: resolves when the last queued holder releases. */
  readonly #tails = new Map<string, Promise<void>>();

  async get(key: string): Promise<CachedToken | null> {
    return this.#tokens.get(key) ?? null;
  }

  async set(key: string, token: CachedToken): Promise<void> {
    this.#tokens.set(key, token);
  }

  async delete(key: string): Promise<void> {
    this.#tokens.delete(key);
  }

  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    this.#tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      // The last holder removes the queue so idle keys keep no state.
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }
}
