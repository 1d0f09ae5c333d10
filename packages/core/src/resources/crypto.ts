/**
 * `client.crypto` (contract resources §12): transit keys under `/v1/crypto/keys/{name}`,
 * portable `kc:` encryption at top-level `/v1/…`, signing, JWTs and webhook signatures.
 */
import type {
  ClientTokenResponse,
  CreateCryptoKeyInput,
  CryptoKey,
  CryptoKeySummary,
  DecryptDataOptions,
  DecryptDataResult,
  DecryptInput,
  DecryptParams,
  DecryptResult,
  EncryptDataOptions,
  EncryptDataResult,
  EncryptInput,
  EncryptResult,
  GetPublicKeyParams,
  GetSealingBundleParams,
  InspectResult,
  JwtSignResult,
  JwtVerifyResult,
  KeyRotateResult,
  KeyUpdateResult,
  KeyVersionDestroyResult,
  MintClientTokenInput,
  PublicKeyResult,
  RewrapInput,
  RewrapResult,
  SealingBundle,
  SignInput,
  SignJwtInput,
  SignResult,
  SignWebhookInput,
  UpdateCryptoKeyInput,
  VerifyInput,
  VerifyJwtInput,
  VerifyResult,
  WebhookSignResult,
} from './crypto.types.js';
import { type Endpoints, fields, NO_BODY, path, type RequestOptions } from './define/index.js';

export interface CryptoResource {
  listKeys(opts?: RequestOptions): Promise<CryptoKeySummary[]>;
  getKey(name: string, opts?: RequestOptions): Promise<CryptoKey>;
  createKey(input: CreateCryptoKeyInput, opts?: RequestOptions): Promise<CryptoKey>;
  /** Raises or lowers the destroy latch. */
  updateKey(name: string, input: UpdateCryptoKeyInput, opts?: RequestOptions): Promise<KeyUpdateResult>;
  rotateKey(name: string, opts?: RequestOptions): Promise<KeyRotateResult>;
  /** Permanent; 409 `deletion_not_allowed` while the latch is down. */
  destroyKeyVersion(name: string, version: number, opts?: RequestOptions): Promise<KeyVersionDestroyResult>;
  getPublicKey(name: string, params?: GetPublicKeyParams, opts?: RequestOptions): Promise<PublicKeyResult>;
  encrypt(name: string, input: EncryptInput, opts?: RequestOptions): Promise<EncryptResult>;
  /** `plaintext_b64` by default; `plaintext` with `{format: "utf8"}`. */
  decrypt(name: string, input: DecryptInput, params?: DecryptParams, opts?: RequestOptions): Promise<DecryptResult>;
  rewrap(name: string, input: RewrapInput, opts?: RequestOptions): Promise<RewrapResult>;
  /** Portable encryption: `data` is any JSON value (Dates, bigints… converted as for every body); the result's `ciphertext` has the same shape with `kc:` leaves. */
  encryptData(data: unknown, input?: EncryptDataOptions, opts?: RequestOptions): Promise<EncryptDataResult>;
  /** Send the `ciphertext` structure back as `data`. */
  decryptData(data: unknown, input?: DecryptDataOptions, opts?: RequestOptions): Promise<DecryptDataResult>;
  /** Metadata of ONE `kc:` string, without decrypting. */
  inspect(value: string, opts?: RequestOptions): Promise<InspectResult>;
  getSealingBundle(params?: GetSealingBundleParams, opts?: RequestOptions): Promise<SealingBundle>;
  /** A single-use capability token for a browser or agent. */
  mintClientToken(input: MintClientTokenInput, opts?: RequestOptions): Promise<ClientTokenResponse>;
  sign(name: string, input: SignInput, opts?: RequestOptions): Promise<SignResult>;
  verify(name: string, input: VerifyInput, opts?: RequestOptions): Promise<VerifyResult>;
  signJwt(name: string, input: SignJwtInput, opts?: RequestOptions): Promise<JwtSignResult>;
  verifyJwt(name: string, input: VerifyJwtInput, opts?: RequestOptions): Promise<JwtVerifyResult>;
  /** A Stripe-compatible `t=<unix>,v1=<hex>` header. */
  signWebhook(name: string, input: SignWebhookInput, opts?: RequestOptions): Promise<WebhookSignResult>;
}

export function createCrypto(api: Endpoints): CryptoResource {
  return {
    listKeys: (opts) => api.plainArray('/v1/crypto/keys', undefined, opts),
    getKey: (name, opts) => api.getOne(path`/v1/crypto/keys/${name}`, undefined, opts),
    createKey: (input, opts) => api.mutate('POST', '/v1/crypto/keys', fields(input), opts),
    updateKey: (name, input, opts) => api.mutate('PATCH', path`/v1/crypto/keys/${name}`, fields(input), opts),
    rotateKey: (name, opts) => api.mutate('POST', path`/v1/crypto/keys/${name}/rotate`, {}, opts),
    destroyKeyVersion: (name, version, opts) => api.mutate('DELETE', path`/v1/crypto/keys/${name}/versions/${version}`, NO_BODY, opts),
    getPublicKey: (name, params, opts) => api.getOne(path`/v1/crypto/keys/${name}/public-key`, params, opts),
    encrypt: (name, input, opts) => api.mutate('POST', path`/v1/crypto/keys/${name}/encrypt`, fields(input), opts),
    decrypt: (name, input, params, opts) => api.mutate('POST', path`/v1/crypto/keys/${name}/decrypt`, fields(input), opts, params),
    rewrap: (name, input, opts) => api.mutate('POST', path`/v1/crypto/keys/${name}/rewrap`, fields(input), opts),
    // `data` is always present on the wire: `undefined` is sent as null (contract "Our choice").
    encryptData: (data, input, opts) => api.mutate('POST', '/v1/encrypt', { ...fields(input), data: data ?? null }, opts),
    decryptData: (data, input, opts) => api.mutate('POST', '/v1/decrypt', { ...fields(input), data: data ?? null }, opts),
    inspect: (value, opts) => api.mutate('POST', '/v1/inspect', { value }, opts),
    getSealingBundle: (params, opts) => api.getOne('/v1/encrypt/sealing-bundle', params, opts),
    mintClientToken: (input, opts) => api.mutate('POST', '/v1/client-tokens', fields(input), opts),
    sign: (name, input, opts) => api.mutate('POST', path`/v1/crypto/keys/${name}/sign`, fields(input), opts),
    verify: (name, input, opts) => api.mutate('POST', path`/v1/crypto/keys/${name}/verify`, fields(input), opts),
    signJwt: (name, input, opts) => api.mutate('POST', path`/v1/crypto/keys/${name}/jwt`, fields(input), opts),
    verifyJwt: (name, input, opts) => api.mutate('POST', path`/v1/crypto/keys/${name}/jwt/verify`, fields(input), opts),
    signWebhook: (name, input, opts) => api.mutate('POST', path`/v1/crypto/keys/${name}/webhook-sign`, fields(input), opts),
  };
}
