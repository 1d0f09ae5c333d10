import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

/**
 * A small, test-only DPoP proof signer (RFC 9449) on node:crypto, with knobs to produce each
 * kind of bad proof the emulator must refuse.
 */
export interface TestDpopKey {
  privateKey: KeyObject;
  jwk: { kty: 'EC'; crv: 'P-256'; x: string; y: string };
  thumbprint: string;
}

export function generateDpopKey(): TestDpopKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const exported = publicKey.export({ format: 'jwk' }) as { x: string; y: string };
  const jwk = { kty: 'EC' as const, crv: 'P-256' as const, x: exported.x, y: exported.y };
  const thumbprint = createHash('sha256')
    .update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }))
    .digest('base64url');
  return { privateKey, jwk, thumbprint };
}

export interface ProofOptions {
  method: string;
  url: string;
  accessToken?: string;
  nonce?: string;
  /** Unix seconds (default: now). */
  iat?: number;
  jti?: string;
  typ?: string;
  /** Overrides the computed ath. */
  ath?: string;
  /** Sign with this key but put `headerKey`'s JWK in the header (bad signature). */
  headerKey?: TestDpopKey;
}

const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

export function signProof(key: TestDpopKey, o: ProofOptions): string {
  const header = { typ: o.typ ?? 'dpop+jwt', alg: 'ES256', jwk: (o.headerKey ?? key).jwk };
  const htu = o.url.split('#')[0]!.split('?')[0]!;
  const payload: Record<string, unknown> = {
    htm: o.method.toUpperCase(),
    htu,
    iat: o.iat ?? Math.floor(Date.now() / 1000),
    jti: o.jti ?? randomBytes(16).toString('base64url'),
  };
  if (o.ath !== undefined) payload['ath'] = o.ath;
  else if (o.accessToken !== undefined) payload['ath'] = createHash('sha256').update(o.accessToken).digest('base64url');
  if (o.nonce !== undefined) payload['nonce'] = o.nonce;
  const input = `${enc(header)}.${enc(payload)}`;
  const sig = sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${sig.toString('base64url')}`;
}
