/**
 * ES256 signing for DPoP proofs on Node, synchronously through `node:crypto`. Web Crypto's
 * `subtle.sign` hands every signature to the libuv thread pool; for one small signature per
 * request, waking a pool thread and hopping back cost several times the signing itself. Only
 * the Node entry reaches this file (through `nodeAuthSupport`), so the Web build keeps Web
 * Crypto and imports nothing from `node:`.
 */
import { KeyObject, sign, type webcrypto } from 'node:crypto';
import type { SyncEs256Sign } from '../auth/dpop-key-pair.js';

/**
 * A synchronous signer over the same (non-extractable) Web Crypto private key — `KeyObject.from`
 * wraps the key, nothing is exported — or undefined when this runtime's `node:crypto` cannot
 * (e.g. a Node-compatible runtime without `KeyObject.from`): the key pair then signs with Web Crypto.
 */
export function nodeEs256Signer(privateKey: object): SyncEs256Sign | undefined {
  let options: { key: KeyObject; dsaEncoding: 'ieee-p1363' };
  try {
    // ieee-p1363: the raw `r || s` JOSE wants, as Web Crypto gives it, not DER.
    options = { key: KeyObject.from(privateKey as webcrypto.CryptoKey), dsaEncoding: 'ieee-p1363' };
    if (sign('sha256', PROBE, options).length !== 64) return undefined;
  } catch {
    return undefined;
  }
  return (data) => sign('sha256', data, options);
}

const PROBE = new Uint8Array(1);
