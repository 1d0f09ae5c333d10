/** Input and response types of `client.crypto` (contract resources §12, §21.9). */
import type { JsonObject, JsonValue } from './common-types.js';

/** Create-time usage: `encrypt` (AES-256-GCM), `sign` (asymmetric), `hmac`. */
export type CryptoKeyUsageMode = 'encrypt' | 'sign' | 'hmac' | (string & {});
/** The `mode` member of a key ROW (a different concept sharing the name). */
export type CryptoKeyRowMode = 'cloud-only' | 'bundled' | (string & {});
export type ClientTokenAction = 'decrypt' | 'detokenize' | 'tokenize';

export interface CreateCryptoKeyInput {
  name: string;
  mode: CryptoKeyUsageMode;
  description?: string | null;
  /** The algorithm, e.g. `rsa-2048`, `ed25519`, `ecdsa-p256`. */
  key_type?: string;
}

export interface UpdateCryptoKeyInput {
  /** The destroy latch: must be true before `destroyKeyVersion`. */
  deletion_allowed: boolean;
}

export interface GetPublicKeyParams {
  version?: number;
}

/** Supply one of `plaintext` (UTF-8) or `plaintext_b64`; not checked client-side. */
export interface EncryptInput {
  plaintext?: string;
  plaintext_b64?: string;
}

export interface DecryptInput {
  ciphertext: string;
}

export interface DecryptParams {
  /** `utf8` returns `plaintext` instead of `plaintext_b64`. */
  format?: 'utf8' | (string & {});
}

export interface RewrapInput {
  ciphertext: string;
}

export interface EncryptDataOptions {
  /** App key; omit for the tenant's default. */
  key?: string;
  role?: string;
}

export interface DecryptDataOptions {
  role?: string;
}

export type MintClientTokenInput =
  | {
      action: 'decrypt' | 'detokenize';
      /** The exact `kc:` ciphertext or vault token the token is pinned to. */
      data: unknown;
      role?: string;
      ttl_seconds?: number;
    }
  | { action: 'tokenize'; vault: string; origins: string[]; role?: string; ttl_seconds?: number };

export interface SignInput {
  data?: string;
  data_b64?: string;
  rsa_padding?: string;
  hash?: string;
}

export interface VerifyInput extends SignInput {
  signature: string;
}

export interface SignJwtInput {
  claims: JsonObject;
  header_overrides?: JsonObject;
}

export interface VerifyJwtInput {
  token: string;
  /** Expected claims. */
  expected?: JsonObject;
}

export interface SignWebhookInput {
  payload?: string;
  payload_b64?: string;
  timestamp_seconds?: number;
  format?: string;
}

export interface GetSealingBundleParams {
  key?: string;
}

/** Python `TransitKey`. */
export interface CryptoKey {
  id: string;
  tenant_id: string;
  name: string;
  key_type: string;
  mode: CryptoKeyRowMode;
  current_version: number;
  deletion_allowed: boolean;
  description: string | null;
  created_at: string;
  updated_at: string;
  created_by: string | null;
  sandbox: boolean;
}

/** Python `TransitKeyListItem`. */
export interface CryptoKeySummary {
  id: string;
  name: string;
  key_type: string;
  mode: CryptoKeyRowMode;
  current_version: number;
  deletion_allowed: boolean;
  description: string | null;
  created_at: string;
  updated_at: string;
}

export interface KeyRotateResult {
  new_version: number;
}

export interface KeyUpdateResult {
  name: string;
  deletion_allowed: boolean;
}

export interface KeyVersionDestroyResult {
  /** The destroyed version number. */
  destroyed: number;
}

export interface EncryptResult {
  ciphertext: string;
  key_version: number;
}

export interface DecryptResult {
  key_version: number;
  plaintext_b64?: string;
  /** Only with `format=utf8`. */
  plaintext?: string;
}

export interface RewrapResult {
  ciphertext: string;
  key_version: number;
}

export interface SignResult {
  signature: string;
  key_version: number;
}

export interface VerifyResult {
  valid: boolean;
  key_version: number;
}

export interface PublicKeyResult {
  pem: string;
  jwk: JsonObject;
  key_version: number;
}

export interface JwtSignResult {
  token: string;
  key_version: number;
  alg: string;
}

export interface JwtVerifyResult {
  valid: boolean;
  claims?: JsonObject;
  key_version?: number;
  alg?: string;
  error?: string;
  kid?: string;
}

export interface WebhookSignResult {
  /** `t=<unix>,v1=<hex>` (Stripe-compatible). */
  signature_header: string;
  timestamp_seconds: number;
  key_version: number;
  format: 'stripe' | (string & {});
}

export interface EncryptDataResult {
  /** The input's shape with every scalar leaf replaced by a `kc:` string. */
  ciphertext: JsonValue;
  key: string;
  key_version: number;
}

export interface DecryptDataResult {
  /** The same shape as the `data` sent. */
  plaintext: JsonValue;
}

export interface InspectResult {
  encrypted: boolean;
  /** `kc` per the official Node types; `ecdh-p256` has been observed. */
  scheme?: string;
  version?: number;
  datatype?: string;
  /** camelCase on the wire (unlike the sealing bundle's `key_ref`). */
  key_ref?: { tenantId: string; appKeyId: string; keyVersion: number };
  fingerprint?: string;
}

export interface SealingBundle {
  /** base64url raw EC point. */
  public_key_raw: string;
  /** snake_case on the wire (unlike `InspectResult.key_ref`). */
  key_ref: { tenant_id: string; app_key_id: string; key_version: number };
}

/** Python `ClientTokenResult`. */
export interface ClientTokenResponse {
  token: string;
  expires_at: string;
  action: ClientTokenAction | (string & {});
  /** tokenize only. */
  vault_id?: string;
  /** tokenize only: normalised, deduplicated, sorted. */
  origins?: string[];
}
