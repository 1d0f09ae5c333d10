/**
 * Node only (contract auth §6.3): one JSON file mapping cache key → token record, for
 * tools and scripts that want their token to survive a restart. Locking is in-process only.
 */
import { nodeFs } from './node-fs.js';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomHex, writeFileAtomic } from './atomic-file-write.js';
import { KeyedFifoMutex } from '../auth/keyed-fifo-mutex.js';
import { decodeStoredRecord, encodeStoredToken, type StoredTokenRecord } from '../auth/stored-token-codec.js';
import type { CachedToken, TokenStore } from '../auth/token-store.js';

export const DEFAULT_TOKEN_CACHE_PATH = (): string => join(homedir(), '.knoxcall', 'token-cache.json');

export class FileTokenStore implements TokenStore {
  readonly path: string;
  readonly #locks = new KeyedFifoMutex();
  /** Serialises read-modify-write cycles of this process so concurrent sets lose nothing. */
  readonly #writes = new KeyedFifoMutex();

  constructor(path?: string) {
    this.path = resolve(path ?? DEFAULT_TOKEN_CACHE_PATH());
  }

  async get(key: string): Promise<CachedToken | null> {
    const document = await this.#read();
    return Object.hasOwn(document, key) ? decodeStoredRecord(document[key]) : null;
  }

  async set(key: string, token: CachedToken): Promise<void> {
    await this.#update((document) => {
      document[key] = encodeStoredToken(token);
      return true;
    });
  }

  async delete(key: string): Promise<void> {
    await this.#update((document) => {
      if (!Object.hasOwn(document, key)) return false;
      delete document[key];
      return true;
    });
  }

  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.#locks.run(key, fn);
  }

  /** Our choice: a missing, unreadable or corrupt file is an empty cache — it is only a cache. */
  async #read(): Promise<Record<string, StoredTokenRecord | unknown>> {
    try {
      const parsed: unknown = JSON.parse(await (await nodeFs()).readFile(this.path, 'utf8'));
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        return parsed as Record<string, unknown>;
      }
    } catch {
      // fall through: empty
    }
    return {};
  }

  /** `change` edits the document and returns false when nothing changed (then nothing is written). */
  async #update(change: (document: Record<string, unknown>) => boolean): Promise<void> {
    await this.#writes.run('file', async () => {
      const document = await this.#read();
      if (!change(document)) return;
      // Our choice: a unique temporary name, so concurrent writers never clobber each other's file.
      await writeFileAtomic(this.path, `${JSON.stringify(document, null, 2)}\n`, (base) => `${base}.${process.pid}.${randomHex(6)}.tmp`);
    });
  }
}
