import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileTokenStore } from '../src/node/auth-support.js';
import type { CachedToken } from '../src/auth/token-store.js';
import { Redacted } from '../src/redacted.js';
import { tempHome } from './credentials-test-support.js';

let home: ReturnType<typeof tempHome>;
let path: string;
beforeEach(() => {
  home = tempHome();
  path = join(home.dir, 'cache', 'token-cache.json');
});
afterEach(() => home.cleanup());

const token = (value: string, extra: Partial<CachedToken> = {}): CachedToken => ({
  accessToken: new Redacted(value),
  expiresAt: 1_800_000_000_000,
  scope: ['a'],
  tokenType: 'Bearer',
  ...extra,
});

describe('FileTokenStore (auth §6.3)', () => {
  it('a missing file is a miss; set/get round-trip; the file is the camelCase ms record per key', async () => {
    const store = new FileTokenStore(path);
    expect(await store.get('acme:')).toBeNull();
    await store.set('acme:', token('kc_1', { lifetime: 3_600_000, refreshToken: new Redacted('rt_1'), tenant: 'acme' }));
    const back = await new FileTokenStore(path).get('acme:');
    expect(back?.accessToken.expose()).toBe('kc_1');
    expect(back?.refreshToken?.expose()).toBe('rt_1');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      'acme:': {
        accessToken: 'kc_1',
        expiresAt: 1_800_000_000_000,
        scope: ['a'],
        tokenType: 'Bearer',
        lifetime: 3_600_000,
        tenant: 'acme',
        refreshToken: 'rt_1',
      },
    });
  });

  it('writes atomically: directory 0700, file 0600, no temporary file left', async () => {
    const store = new FileTokenStore(path);
    await store.set('k', token('kc_1'));
    expect(statSync(join(home.dir, 'cache')).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(home.dir, 'cache'))).toEqual(['token-cache.json']);
  });

  it('concurrent sets of different keys lose nothing; delete removes one key only', async () => {
    const store = new FileTokenStore(path);
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.set(`k${i}`, token(`kc_${i}`))));
    expect(Object.keys(JSON.parse(readFileSync(path, 'utf8'))).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `k${i}`).sort());
    await store.delete('k3');
    await store.delete('absent');
    expect(await store.get('k3')).toBeNull();
    expect((await store.get('k4'))?.accessToken.expose()).toBe('kc_4');
  });

  it('a corrupt file reads as empty (our choice) and is replaced on the next write', async () => {
    const store = new FileTokenStore(path);
    await store.set('k', token('kc_1'));
    writeFileSync(path, '{corrupt');
    expect(await store.get('k')).toBeNull();
    await store.set('k', token('kc_2'));
    expect((await store.get('k'))?.accessToken.expose()).toBe('kc_2');
  });

  it('withLock serialises in-process callers and releases after a throw', async () => {
    const store = new FileTokenStore(path);
    const order: number[] = [];
    await Promise.all(
      [0, 1, 2].map((i) =>
        store.withLock('k', async () => {
          order.push(i);
          await new Promise((r) => setTimeout(r, 5));
        }),
      ),
    );
    expect(order).toEqual([0, 1, 2]);
    await expect(
      store.withLock('k', async () => {
        throw new Error('x');
      }),
    ).rejects.toThrow('x');
    expect(await store.withLock('k', async () => 'after')).toBe('after');
  });
});
