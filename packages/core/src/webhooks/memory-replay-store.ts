/**
 * An in-process `ReplayStore`: bounded and expiring. It protects one process only — use
 * `RedisReplayStore` when several instances receive the same webhook.
 */
import { KnoxCallError } from '../errors.js';
import type { ReplayClaimState, ReplayStore } from './replay-protection.js';

export interface MemoryReplayStoreOptions {
  /**
   * Most keys kept at once (default 10 000). When full, the oldest entry is forgotten
   * first, which weakens protection for it: size this above the deliveries expected
   * within one TTL.
   */
  maxEntries?: number | undefined;
  /** Clock in epoch milliseconds (default `Date.now`). */
  now?: (() => number) | undefined;
}

/** @internal Shared by the stores: a TTL that is not a positive number is a programming error. */
export function assertTtl(ttlSeconds: number, what = 'ReplayStore.claim: ttlSeconds'): void {
  if (typeof ttlSeconds !== 'number' || !Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
    throw new KnoxCallError(`${what} must be a positive number of seconds`, {
      code: 'invalid_configuration',
    });
  }
}

interface Entry {
  done: boolean;
  expiresAt: number;
}

export class MemoryReplayStore implements ReplayStore {
  // Insertion order = order of the last write, so the first entry is always the oldest.
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: MemoryReplayStoreOptions = {}) {
    const maxEntries = options.maxEntries ?? 10_000;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new KnoxCallError('MemoryReplayStore: maxEntries must be a positive integer', { code: 'invalid_configuration' });
    }
    this.maxEntries = maxEntries;
    this.now = options.now ?? Date.now;
  }

  /** Keys currently held (expired ones are dropped lazily). */
  get size(): number {
    return this.entries.size;
  }

  async begin(key: string, leaseSeconds: number): Promise<ReplayClaimState> {
    assertTtl(leaseSeconds, 'ReplayStore.begin: leaseSeconds');
    const now = this.now();
    this.dropExpired(now);
    const entry = this.entries.get(key);
    if (entry !== undefined && entry.expiresAt > now) return entry.done ? 'done' : 'in_progress';
    this.write(key, { done: false, expiresAt: now + leaseSeconds * 1000 });
    return 'claimed';
  }

  async complete(key: string, ttlSeconds: number): Promise<void> {
    assertTtl(ttlSeconds, 'ReplayStore.complete: ttlSeconds');
    this.write(key, { done: true, expiresAt: this.now() + ttlSeconds * 1000 });
  }

  async release(key: string): Promise<void> {
    if (this.entries.get(key)?.done === false) this.entries.delete(key);
  }

  /**
   * @deprecated The one-step claim of the earlier interface, which cannot tell an
   * in-progress delivery from a processed one: use `begin`, then `complete` or `release`.
   * Resolves true when the key was free (it is then held as a lease for `ttlSeconds`).
   */
  async claim(key: string, ttlSeconds: number): Promise<boolean> {
    assertTtl(ttlSeconds);
    return (await this.begin(key, ttlSeconds)) === 'claimed';
  }

  private write(key: string, entry: Entry): void {
    this.entries.delete(key); // re-inserted at the end: the newest write
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    this.entries.set(key, entry);
  }

  /** Drops expired entries from the oldest end (TTLs are usually equal, so this is exact then). */
  private dropExpired(now: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt > now) break;
      this.entries.delete(key);
    }
  }
}
