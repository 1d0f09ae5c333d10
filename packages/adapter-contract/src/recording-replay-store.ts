import type { ReplayClaimState, ReplayStore } from '@knoxcall/core/adapter';
import { MemoryReplayStore } from '@knoxcall/core/webhooks';

/**
 * Core's in-memory ReplayStore, recording how the adapter used it. The adapter is what is
 * under test here (a lease before handlers, done on success, released on failure); core's
 * own stores are tested in core.
 */
export class RecordingReplayStore implements ReplayStore {
  readonly calls: string[] = [];
  private readonly store = new MemoryReplayStore();

  async begin(key: string, leaseSeconds: number): Promise<ReplayClaimState> {
    const state = await this.store.begin(key, leaseSeconds);
    this.calls.push(`begin:${state}`);
    return state;
  }

  async complete(key: string, ttlSeconds: number): Promise<void> {
    this.calls.push(`complete:${ttlSeconds > 0 ? 'ttl' : 'bad-ttl'}`);
    await this.store.complete(key, ttlSeconds);
  }

  async release(key: string): Promise<void> {
    this.calls.push('release');
    await this.store.release(key);
  }
}
