import { describe, expect, it } from 'vitest';
import { MemoryTokenStore } from '../src/auth/memory-token-store.js';
import type { CachedToken } from '../src/auth/token-store.js';
import { Redacted } from '../src/redacted.js';

const token = (value: string): CachedToken => ({
  accessToken: new Redacted(value),
  expiresAt: 1_000_000,
  scope: ['a'],
  tokenType: 'Bearer',
});

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('MemoryTokenStore', () => {
  it('get/set/delete round-trip; a miss is null; deleting a missing key is fine', async () => {
    const store = new MemoryTokenStore();
    expect(await store.get('k')).toBeNull();
    await store.set('k', token('kc_1'));
    expect((await store.get('k'))?.accessToken.expose()).toBe('kc_1');
    await store.delete('k');
    await store.delete('k');
    expect(await store.get('k')).toBeNull();
  });

  it('withLock is a strict FIFO mutex per key, also with many waiters', async () => {
    const store = new MemoryTokenStore();
    const events: string[] = [];
    let inside = 0;
    let maxInside = 0;
    const gates: Array<() => void> = [];
    const runs = Array.from({ length: 5 }, (_, i) =>
      store.withLock('k', async () => {
        inside++;
        maxInside = Math.max(maxInside, inside);
        events.push(`start ${i}`);
        await new Promise<void>((resolve) => gates.push(resolve));
        events.push(`end ${i}`);
        inside--;
        return i;
      }),
    );
    for (let i = 0; i < 5; i++) {
      await tick();
      await tick();
      expect(gates.length).toBe(i + 1);
      gates[i]!();
    }
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4]);
    expect(maxInside).toBe(1);
    expect(events).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3', 'start 4', 'end 4']);
  });

  it('different keys do not block each other', async () => {
    const store = new MemoryTokenStore();
    let releaseA!: () => void;
    const a = store.withLock(
      'a',
      () =>
        new Promise<string>((resolve) => {
          releaseA = () => resolve('a');
        }),
    );
    const b = await store.withLock('b', async () => 'b');
    expect(b).toBe('b');
    releaseA();
    expect(await a).toBe('a');
  });

  it('releases the lock when fn throws, and the next holder runs', async () => {
    const store = new MemoryTokenStore();
    const failing = store.withLock('k', async () => {
      throw new Error('boom');
    });
    const next = store.withLock('k', async () => 'next');
    await expect(failing).rejects.toThrow('boom');
    expect(await next).toBe('next');
  });
});
