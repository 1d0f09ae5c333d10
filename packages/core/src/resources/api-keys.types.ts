/** Input and response types of `client.apiKeys` (contract resources §7, §21.7). */

export type ApiKeyType = 'test' | 'standard' | 'access_key' | (string & {});

export interface CreateApiKeyInput {
  name: string;
  rate_limit_requests?: number;
  rate_limit_window_sec?: number;
  /** Seeded key-role UUIDs, attached in the same transaction; omitted when not given. */
  role_ids?: string[];
}

export interface ApiKey {
  id: string;
  key_id: string;
  key_prefix: string;
  key_type: ApiKeyType;
  name: string;
  active: boolean;
  created_at: string;
  last_used_at: string | null;
  rate_limit_requests: number | null;
  rate_limit_window_sec: number | null;
}

/** Python `ApiKeyCreateResult`. */
export interface CreateApiKeyResponse {
  /** The row UUID (what `revoke` and role assignments take). */
  id: string;
  role_ids: string[];
  key_id: string;
  /** The plaintext key, shown once. */
  api_key: string;
  key_prefix: string;
  key_type: ApiKeyType;
  name: string;
  message: string;
}
