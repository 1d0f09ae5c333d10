/**
 * Which HMAC the asynchronous verifier uses. By default: Web Crypto (`crypto.subtle`), which
 * exists on every runtime. On Node, src/node/webhook-verifier.ts installs node:crypto here when the Node build of
 * `@knoxcall/core` is loaded: the bytes are identical, but Web Crypto on Node hands every
 * HMAC to the libuv thread pool and back, a round trip that costs several times the HMAC of
 * a typical delivery (see bench/webhooks). The universal entry never imports that module, so it
 * stays Web Crypto-only wherever it is absent.
 */
import type { RawBody } from './raw-body.js';
import type { ConstantTimeEqual } from './verification-algorithm.js';

export interface SyncHmacProvider {
  /** One HMAC-SHA256 per secret, in order, over the ASCII `prefix` then the body. */
  digests(secrets: readonly string[], prefix: string, body: RawBody): Uint8Array[];
  equal: ConstantTimeEqual;
}

/** @internal The installed synchronous HMAC, if any (a live binding: read it at call time). */
export let syncHmacProvider: SyncHmacProvider | undefined;

/** @internal Called once by src/node/webhook-verifier.ts. */
export function installSyncHmacProvider(provider: SyncHmacProvider): void {
  syncHmacProvider = provider;
}
