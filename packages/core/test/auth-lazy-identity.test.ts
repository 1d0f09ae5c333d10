import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAuthenticator } from '../src/auth/create-authenticator.js';
import { MemoryTokenStore } from '../src/auth/memory-token-store.js';
import type { CachedToken } from '../src/auth/token-store.js';
import { KnoxCall } from '../src/index.js';
import { authConfig, testPlatform } from './auth-test-support.js';

/** A MemoryTokenStore that remembers which keys were written. */
class KeyRecordingStore extends MemoryTokenStore {
  readonly keys: string[] = [];
  override async set(key: string, token: CachedToken): Promise<void> {
    this.keys.push(key);
    await super.set(key, token);
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the anonymous cache identity is drawn lazily (new KnoxCall() stays cheap)', () => {
  it('constructing clients draws no random bytes (the anon: ULID used to cost 16 getRandomValues calls)', () => {
    // A spy, not a mock: the real function still runs; we only count calls.
    const spy = vi.spyOn(globalThis.crypto, 'getRandomValues');
    new KnoxCall();
    new KnoxCall({ apiKey: 'kc_live_x' });
    new KnoxCall({ clientId: 'kc_client_1', clientSecret: 's', tenant: 'acme' });
    expect(spy).not.toHaveBeenCalled();
  });

  it('an auto-detected client without a tenant gets one anon:{ULID} key, stable across calls and never shared', async () => {
    const store = new KeyRecordingStore();
    const platform = testPlatform({ KNOXCALL_ACCESS_TOKEN: 'kc_from_env' });
    const a = createAuthenticator(authConfig({ tokenStore: store }, { platform }));
    const b = createAuthenticator(authConfig({ tokenStore: store }, { platform }));
    await a.getCredential();
    await a.signOut();
    await a.getCredential();
    await b.getCredential();
    expect(store.keys).toHaveLength(3);
    expect(store.keys[0]).toMatch(/^anon:[0-9A-HJKMNP-TV-Z]{26}:$/);
    expect(store.keys[1]).toBe(store.keys[0]);
    expect(store.keys[2]).toMatch(/^anon:[0-9A-HJKMNP-TV-Z]{26}:$/);
    expect(store.keys[2]).not.toBe(store.keys[0]);
  });

  it('the key is the one of construction time: a tenant set before the first call does not change it', async () => {
    const store = new KeyRecordingStore();
    const config = authConfig({ accessToken: 'kc_live_pre', tokenStore: store });
    const auth = createAuthenticator(config);
    config.state.tenant = 'discovered-later';
    await auth.getCredential();
    expect(store.keys).toEqual(['tok:9f497984:']);
  });
});
