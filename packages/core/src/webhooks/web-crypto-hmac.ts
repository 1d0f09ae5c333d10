/**
 * HMAC-SHA256 through Web Crypto, for the asynchronous verifier (browsers, workers, Deno,
 * Bun, Node). Importing a key costs about as much as signing a small body, so imported,
 * non-extractable keys are cached per secret (secret-key-cache.ts).
 */
import { SecretKeyCache } from './secret-key-cache.js';
import { asciiBytes } from './signature-encoding.js';
import type { RawBody } from './raw-body.js';
import { webCryptoUnavailableError } from './verification-errors.js';

const encoder = new TextEncoder();
const keyCache = new SecretKeyCache<Promise<CryptoKey>>();

function subtleCrypto(): SubtleCrypto {
  const subtle = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
  if (subtle === undefined) throw webCryptoUnavailableError();
  return subtle;
}

function importHmacKey(secret: string): Promise<CryptoKey> {
  return keyCache.get(secret, () => {
    const imported = subtleCrypto().importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    // A failed import must not stay cached.
    imported.catch(() => keyCache.forget(secret, imported));
    return imported;
  });
}

/** The bytes that are signed: the ASCII prefix, then the raw body. */
export function signedBytes(prefix: string, body: RawBody): Uint8Array<ArrayBuffer> {
  const bodyBytes = body.bytes();
  if (prefix === '') return unshared(bodyBytes);
  const message = new Uint8Array(prefix.length + bodyBytes.byteLength);
  message.set(asciiBytes(prefix), 0);
  message.set(bodyBytes, prefix.length);
  return message;
}

/** Web Crypto does not take views of a SharedArrayBuffer: copy those (rare) bodies. */
export function unshared(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const shared = typeof SharedArrayBuffer === 'function' && bytes.buffer instanceof SharedArrayBuffer;
  return (shared ? bytes.slice() : bytes) as Uint8Array<ArrayBuffer>;
}

/**
 * One HMAC per secret, in order. One after another: the usual single secret then costs no
 * Promise.all and no closure, and during a rotation every secret is still always computed.
 */
export async function webCryptoDigests(secrets: readonly string[], message: Uint8Array<ArrayBuffer>): Promise<Uint8Array[]> {
  const subtle = subtleCrypto();
  const digests: Uint8Array[] = [];
  for (const secret of secrets) digests.push(new Uint8Array(await subtle.sign('HMAC', await importHmacKey(secret), message)));
  return digests;
}

/**
 * Constant-time comparison in plain JS: every byte is visited whatever the content; only a
 * length difference (which reveals nothing secret) returns early.
 */
export function constantTimeEqual(expected: Uint8Array, received: Uint8Array): boolean {
  if (expected.length !== received.length) return false;
  let difference = 0;
  for (let i = 0; i < expected.length; i++) difference |= expected[i]! ^ received[i]!;
  return difference === 0;
}

/** @internal For tests: how many keys are cached. */
export function cachedKeyCount(): number {
  return keyCache.size;
}
