import { createHash, createPublicKey, verify } from 'node:crypto';
import { b64url } from './ids.js';

/**
 * DPoP proof verification (RFC 9449, contract auth.md §5) with node:crypto only — deliberately
 * independent of the client's signer so one bug cannot hide on both sides.
 */

export interface DpopExpectations {
  method: string;
  /** Expected `htu`: scheme + received Host + path, no query/fragment. */
  htu: string;
  nowMs: number;
  /** Allowed |now − iat| in seconds. */
  iatWindowSeconds: number;
  /** When set, the proof's `ath` must equal b64url(sha256(accessToken)). */
  accessToken?: string;
  /** When set, the proof's key thumbprint must equal it (`cnf.jkt` of the token). */
  jkt?: string;
  /** Returns true when the jti was unseen (and records it). */
  claimJti(jti: string): boolean;
}

export interface DpopProof {
  jkt: string;
  nonce: string | undefined;
}

export class DpopError extends Error {}

function decodeJson(part: string, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch {
    throw new DpopError(`DPoP proof ${what} is not a base64url JSON object`);
  }
}

/** RFC 7638 thumbprint of an EC P-256 key: members crv, kty, x, y in that order. */
export function jwkThumbprint(jwk: { crv: string; kty: string; x: string; y: string }): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return b64url(createHash('sha256').update(canonical).digest());
}

export function accessTokenHash(token: string): string {
  return b64url(createHash('sha256').update(token).digest());
}

/**
 * Verifies the structure, signature and claims of a proof; returns the key thumbprint and the
 * nonce it carries (nonce policy is the caller's business). Throws `DpopError` with the reason.
 */
export function verifyDpopProof(proof: string, expect: DpopExpectations): DpopProof {
  const parts = proof.split('.');
  if (parts.length !== 3) throw new DpopError('DPoP proof must be a compact JWS with 3 parts');
  const [h, p, s] = parts as [string, string, string];
  const header = decodeJson(h, 'header');
  const payload = decodeJson(p, 'payload');
  if (header['typ'] !== 'dpop+jwt') throw new DpopError('DPoP proof typ must be "dpop+jwt"');
  if (header['alg'] !== 'ES256') throw new DpopError('DPoP proof alg must be ES256');
  const jwk = header['jwk'] as Record<string, unknown> | undefined;
  if (!jwk || typeof jwk !== 'object') throw new DpopError('DPoP proof header has no jwk');
  if ('d' in jwk) throw new DpopError('DPoP proof jwk must not contain a private key');
  const { kty, crv, x, y } = jwk;
  if (kty !== 'EC' || crv !== 'P-256' || typeof x !== 'string' || typeof y !== 'string') {
    throw new DpopError('DPoP proof jwk must be an EC P-256 public key');
  }
  let key: ReturnType<typeof createPublicKey>;
  try {
    key = createPublicKey({ key: { kty, crv, x, y }, format: 'jwk' });
  } catch {
    throw new DpopError('DPoP proof jwk is not a valid P-256 point');
  }
  const signature = Buffer.from(s, 'base64url');
  if (signature.length !== 64) throw new DpopError('DPoP proof signature must be 64 bytes (r||s)');
  const valid = verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, signature);
  if (!valid) throw new DpopError('DPoP proof signature is invalid');

  if (payload['htm'] !== expect.method) throw new DpopError(`DPoP proof htm must be ${expect.method}`);
  if (typeof payload['htu'] !== 'string' || stripQuery(payload['htu']) !== expect.htu) {
    throw new DpopError('DPoP proof htu does not match the request URL');
  }
  const iat = payload['iat'];
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw new DpopError('DPoP proof iat must be a number');
  if (Math.abs(expect.nowMs / 1000 - iat) > expect.iatWindowSeconds) throw new DpopError('DPoP proof iat is outside the accepted window');
  const jti = payload['jti'];
  if (typeof jti !== 'string' || jti.length < 8) throw new DpopError('DPoP proof jti is missing or too short');
  const thumbprint = jwkThumbprint({ crv, kty, x, y });
  if (expect.jkt !== undefined && thumbprint !== expect.jkt) throw new DpopError('DPoP proof key does not match the token binding (cnf.jkt)');
  if (expect.accessToken !== undefined) {
    if (payload['ath'] !== accessTokenHash(expect.accessToken)) throw new DpopError('DPoP proof ath does not match the access token');
  }
  // Record the jti last: a proof that failed another check does not burn its jti.
  if (!expect.claimJti(jti)) throw new DpopError('DPoP proof jti has already been used');
  const nonce = payload['nonce'];
  return { jkt: thumbprint, nonce: typeof nonce === 'string' ? nonce : undefined };
}

function stripQuery(url: string): string {
  const hash = url.indexOf('#');
  const noHash = hash === -1 ? url : url.slice(0, hash);
  const q = noHash.indexOf('?');
  return q === -1 ? noHash : noHash.slice(0, q);
}
