import type { ReplayStore } from '@knoxcall/core/adapter';

/**
 * An in-memory ReplayStore that also records how the adapter used it. The adapter is what
 * is under test here (claim before handlers, release on failure); core's own stores are
 * tested in core.
 */
export class RecordingReplayStore implements ReplayStore {
  readonly claimed = new Set<string>();
  readonly calls: string[] = [];

  async claim(key: string, ttlSeconds: number): Promise<boolean> {
    this.calls.push(`claim:${ttlSeconds > 0 ? 'ttl' : 'bad-ttl'}`);
    if (this.claimed.has(key)) return false;
    this.claimed.add(key);
    return true;
  }

  async release(key: string): Promise<void> {
    this.calls.push('release');
    this.claimed.delete(key);
  }
}
