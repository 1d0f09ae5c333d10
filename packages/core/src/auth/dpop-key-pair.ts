/**
 * An in-memory ES256 key pair for DPoP (contract auth §5), built on Web Crypto so the
 * Node and Web builds share it: Web Crypto already signs ECDSA in the raw `r || s` form
 * JOSE wants, and the private key is generated non-extractable.
 */
import { KnoxCallError } from '../errors.js';
import { base64url, utf8 } from './base64.js';

export interface PublicEcJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
}

export interface DpopProofInput {
  method: string;
  url: string;
  /** Present when the request presents an access token: adds `ath`. */
  accessToken?: string | undefined;
  nonce?: string | undefined;
  /** Epoch ms; default `Date.now()`. */
  now?: number | undefined;
}

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource));
}

/** RFC 7638 thumbprint of a P-256 public key: members `crv`, `kty`, `x`, `y` in that order. */
export async function jwkThumbprint(jwk: Pick<PublicEcJwk, 'crv' | 'kty' | 'x' | 'y'>): Promise<string> {
  const canonical = `{"crv":${JSON.stringify(jwk.crv)},"kty":${JSON.stringify(jwk.kty)},"x":${JSON.stringify(jwk.x)},"y":${JSON.stringify(jwk.y)}}`;
  return base64url(await sha256(utf8(canonical)));
}

/** `ath`: base64url of SHA-256 over the access token's bytes. */
export async function accessTokenHash(accessToken: string): Promise<string> {
  return base64url(await sha256(utf8(accessToken)));
}

/** `htu`: the URL cut at the first `#`, then at the first `?`; nothing else changes. */
export function dpopHtu(url: string): string {
  const noFragment = url.split('#', 1)[0]!;
  return noFragment.split('?', 1)[0]!;
}

const b64json = (value: unknown): string => base64url(utf8(JSON.stringify(value)));

export class DpopKeyPair {
  readonly publicJwk: PublicEcJwk;
  /** The `cnf.jkt` a token bound to this key carries; 43 characters. */
  readonly thumbprint: string;
  readonly #privateKey: CryptoKey;
  readonly #encodedHeader: string;
  /** The last token's `ath`, so repeated requests with one token hash it once. */
  #athCache: { token: string; ath: string } | undefined;

  private constructor(privateKey: CryptoKey, publicJwk: PublicEcJwk, thumbprint: string) {
    this.#privateKey = privateKey;
    this.publicJwk = publicJwk;
    this.thumbprint = thumbprint;
    this.#encodedHeader = b64json({ alg: 'ES256', typ: 'dpop+jwt', jwk: publicJwk });
  }

  static async generate(): Promise<DpopKeyPair> {
    let pair: CryptoKeyPair;
    let exported: JsonWebKey;
    try {
      pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
      exported = await crypto.subtle.exportKey('jwk', pair.publicKey);
    } catch (error) {
      throw new KnoxCallError('could not generate a DPoP key pair: this runtime lacks Web Crypto ECDSA P-256', {
        cause: error,
      });
    }
    const publicJwk: PublicEcJwk = { kty: 'EC', crv: 'P-256', x: exported.x!, y: exported.y! };
    return new DpopKeyPair(pair.privateKey, publicJwk, await jwkThumbprint(publicJwk));
  }

  /** A fresh proof JWT (new `jti` and `iat`) for one HTTP request. */
  async sign(input: DpopProofInput): Promise<string> {
    const payload: Record<string, string | number> = {
      htm: input.method.toUpperCase(),
      htu: dpopHtu(input.url),
      iat: Math.floor((input.now ?? Date.now()) / 1000),
      jti: base64url(crypto.getRandomValues(new Uint8Array(16))),
    };
    if (input.accessToken !== undefined) payload.ath = await this.#ath(input.accessToken);
    if (input.nonce) payload.nonce = input.nonce;
    const signingInput = `${this.#encodedHeader}.${b64json(payload)}`;
    const signature = await crypto.subtle.sign(
      { name: 'ECDSA', hash: 'SHA-256' },
      this.#privateKey,
      utf8(signingInput) as BufferSource,
    );
    return `${signingInput}.${base64url(new Uint8Array(signature))}`;
  }

  async #ath(accessToken: string): Promise<string> {
    if (this.#athCache?.token === accessToken) return this.#athCache.ath;
    const ath = await accessTokenHash(accessToken);
    this.#athCache = { token: accessToken, ath };
    return ath;
  }
}
