import { concatBytes } from './body-bytes.js';

const utf8 = new TextEncoder();

function subtle(): SubtleCrypto {
  const webCrypto = (globalThis as { crypto?: Crypto }).crypto;
  if (!webCrypto?.subtle) {
    throw new TypeError('signWebhook needs Web Crypto (globalThis.crypto.subtle); use Node 20+, Deno, Bun or a Workers runtime');
  }
  return webCrypto.subtle;
}

/**
 * HMAC-SHA256 over the concatenation of `parts`, keyed with the UTF-8 bytes of `secret`
 * exactly as given (contract §0: a `whsec_` prefix is part of the key, nothing is decoded).
 */
export async function hmacSha256(secret: string, ...parts: Uint8Array[]): Promise<Uint8Array> {
  const crypto = subtle();
  const key = await crypto.importKey('raw', utf8.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const digest = await crypto.sign('HMAC', key, concatBytes(...parts));
  return new Uint8Array(digest);
}
