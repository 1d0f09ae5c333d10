/**
 * An in-process `ReplayStore`: bounded and expiring. It protects one process only — use
 * `RedisReplayStore` when several instances receive the same webhook.
 */
import { KnoxCallError } from '../errors.js';
import type { ReplayStore } from './replay-protection.js';

export interface MemoryReplayStoreOptions {
  /**
   * Most keys kept at once (default 10 000). When full, the oldest claim is forgotten
   * first, which weakens protection for it: size this above the deliveries expected
   * within one TTL.
   */
  maxEntries?: number | undefined;
  /** Clock in epoch milliseconds (default `Date.now`). */
  now?: (() => number) | undefined;
}

/** @internal Shared by the stores: a TTL that is not a positive number is a programming error. */
export function assertTtl(ttlSeconds: number): void {
  if (typeof ttlSeconds !== 'number' || !Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
    throw new KnoxCallError('ReplayStore.claim: ttlSeconds must be a positive number of seconds', {
      code: 'invalid_configuration',
    });
  }
}

export class MemoryReplayStore implements ReplayStore {
  // Insertion order = claim order, so the first entry is always the oldest claim.
  private readonly expiries = new Map<string, number>();
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
    return this.expiries.size;
  }

  async claim(key: string, ttlSeconds: number): Promise<boolean> {
    assertTtl(ttlSeconds);
    const now = this.now();
    this.dropExpired(now);
    const expiry = this.expiries.get(key);
    if (expiry !== undefined && expiry > now) return false;
    if (expiry !== undefined) this.expiries.delete(key);
    while (this.expiries.size >= this.maxEntries) {
      const oldest = this.expiries.keys().next();
      if (oldest.done) break;
      this.expiries.delete(oldest.value);
    }
    this.expiries.set(key, now + ttlSeconds * 1000);
    return true;
  }

  async release(key: string): Promise<void> {
    this.expiries.delete(key);
  }

  /** Drops expired claims from the oldest end (TTLs are usually equal, so this is exact then). */
  private dropExpired(now: number): void {
    for (const [key, expiry] of this.expiries) {
      if (expiry > now) break;
      this.expiries.delete(key);
    }
  }
}
