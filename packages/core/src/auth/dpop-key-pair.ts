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
  const hash = url.indexOf('#');
  const noFragment = hash === -1 ? url : url.slice(0, hash);
  const question = noFragment.indexOf('?');
  return question === -1 ? noFragment : noFragment.slice(0, question);
}

/**
 * Signs with the private key synchronously, returning the raw `r || s` signature, or is
 * absent. The Node build passes one built on `node:crypto` (see `node-es256.ts`): Web
 * Crypto's sign runs on the thread pool, and waking a pool thread for every request cost
 * several times the signature itself.
 */
export type SyncEs256Sign = (data: Uint8Array) => Uint8Array;

/**
 * Makes a `SyncEs256Sign` for a Web Crypto private key (a `CryptoKey`, typed `object` so these
 * declarations need no DOM lib in a Node app), or undefined where the runtime cannot.
 */
export type SyncEs256SignerFactory = (privateKey: object) => SyncEs256Sign | undefined;

// Random bytes for `jti`s drawn in batches: one getRandomValues call cost as much as the
// rest of the proof's JSON and base64url work together. Each byte is used once.
const JTI_BYTES = 16;
const POOL_BYTES = JTI_BYTES * 256;
let pool = new Uint8Array(0);
let poolOffset = 0;

function freshJti(): string {
  if (poolOffset + JTI_BYTES > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(POOL_BYTES));
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, poolOffset + JTI_BYTES);
  poolOffset += JTI_BYTES;
  return base64url(bytes);
}

const b64json = (value: unknown): string => base64url(utf8(JSON.stringify(value)));

export class DpopKeyPair {
  readonly publicJwk: PublicEcJwk;
  /** The `cnf.jkt` a token bound to this key carries; 43 characters. */
  readonly thumbprint: string;
  readonly #privateKey: CryptoKey;
  readonly #syncSign: SyncEs256Sign | undefined;
  readonly #encodedHeader: string;
  /** The last token's `ath`, so repeated requests with one token hash it once. */
  #athCache: { token: string; ath: string } | undefined;

  private constructor(privateKey: CryptoKey, publicJwk: PublicEcJwk, thumbprint: string, syncSign: SyncEs256Sign | undefined) {
    this.#privateKey = privateKey;
    this.#syncSign = syncSign;
    this.publicJwk = publicJwk;
    this.thumbprint = thumbprint;
    this.#encodedHeader = b64json({ alg: 'ES256', typ: 'dpop+jwt', jwk: publicJwk });
  }

  /** `syncSigner`: the platform's synchronous signer (Node), used when it accepts the key. */
  static async generate(syncSigner?: SyncEs256SignerFactory): Promise<DpopKeyPair> {
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
    return new DpopKeyPair(pair.privateKey, publicJwk, await jwkThumbprint(publicJwk), syncSigner?.(pair.privateKey));
  }

  /** A fresh proof JWT (new `jti` and `iat`) for one HTTP request. */
  async sign(input: DpopProofInput): Promise<string> {
    // Assembled by hand in the claim order htm, htu, iat, jti[, ath][, nonce]: the same text
    // JSON.stringify gives for that object.
    let payload = `{"htm":${JSON.stringify(input.method.toUpperCase())},"htu":${JSON.stringify(dpopHtu(input.url))},"iat":${Math.floor((input.now ?? Date.now()) / 1000)},"jti":"${freshJti()}"`;
    if (input.accessToken !== undefined) payload += `,"ath":"${await this.#ath(input.accessToken)}"`;
    if (input.nonce) payload += `,"nonce":${JSON.stringify(input.nonce)}`;
    const signingInput = `${this.#encodedHeader}.${base64url(utf8(`${payload}}`))}`;
    const bytes = utf8(signingInput);
    const signature =
      this.#syncSign !== undefined
        ? this.#syncSign(bytes)
        : new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, this.#privateKey, bytes as BufferSource));
    return `${signingInput}.${base64url(signature)}`;
  }

  #ath(accessToken: string): Promise<string> | string {
    if (this.#athCache?.token === accessToken) return this.#athCache.ath;
    return accessTokenHash(accessToken).then((ath) => {
      this.#athCache = { token: accessToken, ath };
      return ath;
    });
  }
}
