/** Input and response types of `client.vaults` (contract resources §14, §21.11). */
import type { JsonObject } from './common-types.js';

export type VaultCustodyMode = 'managed' | 'dual' | (string & {});
export type CardFundingType = 'credit' | 'debit' | 'prepaid' | (string & {});

export interface CreateVaultInput {
  name: string;
  /** e.g. `pan` for card numbers. */
  token_format?: string;
  /** `managed` (default) or `dual` (tokenize returns a portable `kc:` ciphertext you store). */
  custody_mode?: VaultCustodyMode;
  default_ttl_seconds?: number | null;
  description?: string | null;
  metadata_jsonb?: JsonObject;
}

export interface UpdateVaultInput {
  default_ttl_seconds?: number | null;
  description?: string | null;
  enabled?: boolean;
  metadata_jsonb?: JsonObject;
}

export interface TokenizeInput {
  value: string;
  metadata?: JsonObject;
  /** The TOKEN's lifetime. */
  ttl_seconds?: number;
  /** The CARD's own expiry (pan vaults only; both or neither). */
  card_exp_month?: number;
  /** 4-digit year. */
  card_exp_year?: number;
}

export interface BulkTokenizeInput {
  /** Up to 1000 values; passed through verbatim. */
  values: TokenizeInput[];
}

export interface UpdateTokenInput {
  metadata: JsonObject;
}

export interface Vault {
  id: string;
  tenant_id: string;
  name: string;
  token_format: string;
  crypto_key_id: string;
  custody_mode: VaultCustodyMode;
  default_ttl_seconds: number | null;
  metadata_jsonb: JsonObject;
  description: string | null;
  enabled: boolean;
  created_at: string;
  updated_at: string;
  created_by: string | null;
  sandbox: boolean;
}

export interface VaultStats {
  token_count: number;
  active_count: number;
  expiring_in_24h: number;
}

export interface VaultDetail extends Vault {
  stats: VaultStats;
}

export interface VaultRotateResult {
  new_version: number;
}

/** Card facts a token may carry. */
export interface CardTokenFields {
  /** Last day of the card-expiry month, `YYYY-MM-DD`. */
  card_expires_on?: string | null;
  /** Currently always null. */
  card_funding_type?: CardFundingType | null;
  /** ISO alpha-2; currently always null. */
  card_issuing_country?: string | null;
}

/** Python `VaultToken`. */
export interface Token extends CardTokenFields {
  id: string;
  token: string;
  expires_at: string | null;
  created_at: string;
}

export interface BulkTokenizeResult {
  tokens: Token[];
  count: number;
}

/** List row: no value, no metadata. */
export interface VaultTokenListItem extends CardTokenFields {
  id: string;
  token: string;
  expires_at: string | null;
  created_at: string;
  created_by_api_key_id: string | null;
  created_by_user_id: string | null;
}

/** Python `DetokenizeResult`. */
export interface DetokenizeResponse extends CardTokenFields {
  id: string;
  token: string;
  expires_at: string | null;
  created_at: string;
  value: string;
  value_b64: string;
  metadata: JsonObject | null;
  crypto_key_version: number;
}

export interface TokenUpdateResult {
  updated: boolean;
}
