/**
 * The default token store: a process-local Map with a strict FIFO mutex per key (contract
 * auth §6.2; our choice: every waiter queues behind the previous one, so three or more
 * concurrent callers are serialised too).
 */
import { KeyedFifoMutex } from './keyed-fifo-mutex.js';
import type { CachedToken, TokenStore } from './token-store.js';

export class MemoryTokenStore implements TokenStore {
  readonly #tokens = new Map<string, CachedToken>();
  readonly #locks = new KeyedFifoMutex();

  async get(key: string): Promise<CachedToken | null> {
    return this.#tokens.get(key) ?? null;
  }

  async set(key: string, token: CachedToken): Promise<void> {
    this.#tokens.set(key, token);
  }

  async delete(key: string): Promise<void> {
    this.#tokens.delete(key);
  }

  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.#locks.run(key, fn);
  }
}
