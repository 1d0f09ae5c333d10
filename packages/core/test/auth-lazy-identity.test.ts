import { createHash } from 'node:crypto';
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

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the cache identity is computed lazily (new KnoxCall() stays cheap)', () => {
  it('constructing clients draws no random bytes ', () => {
    // A spy, not a mock: the real function still runs; we only count calls.
    const spy = vi.spyOn(globalThis.crypto, 'getRandomValues');
    new KnoxCall();
    new KnoxCall({ apiKey: 'kc_live_x' });
    new KnoxCall({ clientId: 'kc_client_1', clientSecret: 's', tenant: 'acme' });
    expect(spy).not.toHaveBeenCalled();
  });

  it('an auto-detected client is keyed by the credential it found: stable across calls, shared only by the same credential', async () => {
    const store = new KeyRecordingStore();
    const a = createAuthenticator(authConfig({ tokenStore: store }, { platform: testPlatform({ KNOXCALL_ACCESS_TOKEN: 'kc_from_env' }) }));
    const b = createAuthenticator(authConfig({ tokenStore: store }, { platform: testPlatform({ KNOXCALL_ACCESS_TOKEN: 'kc_from_env' }) }));
    const other = createAuthenticator(authConfig({ tokenStore: store }, { platform: testPlatform({ KNOXCALL_ACCESS_TOKEN: 'kc_other' }) }));
    await a.getCredential();
    await a.signOut();
    await a.getCredential();
    await b.getCredential();
    expect((await other.getCredential()).accessToken.expose()).toBe('kc_other');
    const identity = `tok:${sha256('kc_from_env')}:`;
    expect(store.keys).toEqual([identity, identity, `tok:${sha256('kc_other')}:`]);
  });

  it('the key is the one of construction time: a tenant set before the first call does not change it', async () => {
    const store = new KeyRecordingStore();
    const config = authConfig({ accessToken: 'kc_live_pre', tokenStore: store });
    const auth = createAuthenticator(config);
    config.state.tenant = 'discovered-later';
    await auth.getCredential();
    expect(store.keys).toEqual([`tok:${sha256('kc_live_pre')}:`]);
  });
});
