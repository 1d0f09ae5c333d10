/** Input and response types of `client.oauthClients` (contract resources §5, §21.6). */

export type OAuthClientType = 'confidential' | 'public' | (string & {});
export type OAuthGrantType =
  | 'client_credentials'
  | 'authorization_code'
  | 'refresh_token'
  | 'urn:ietf:params:oauth:grant-type:token-exchange'
  | 'urn:ietf:params:oauth:grant-type:device_code'
  | (string & {});
/** `opaque` is the only accepted value (JWT was withdrawn). */
export type OAuthTokenFormat = 'opaque' | (string & {});

export interface CreateOAuthClientInput {
  name: string;
  /** Default `"confidential"` (always sent). */
  type?: OAuthClientType;
  /** Default `["client_credentials"]` (always sent; an explicit `[]` is sent as given). */
  grant_types?: OAuthGrantType[];
  /** Default `[]` (always sent). */
  allowed_scopes?: string[];
  /** Default `false` (always sent). */
  require_dpop?: boolean;
  /** Default `true` (always sent; `false` is refused). */
  require_pkce?: boolean;
  /** Default `"opaque"` (always sent). */
  token_format?: OAuthTokenFormat;
  redirect_uris?: string[];
  consent_html_template?: string;
  step_up_scopes?: string[];
}

export interface UpdateOAuthClientInput {
  name?: string;
  allowed_scopes?: string[];
  redirect_uris?: string[];
  require_dpop?: boolean;
  require_pkce?: boolean;
  active?: boolean;
  token_format?: OAuthTokenFormat;
  consent_html_template?: string;
  step_up_scopes?: string[];
}

/** List row. */
export interface OAuthClient {
  id: string;
  client_id: string;
  name: string;
  type: OAuthClientType;
  grant_types: OAuthGrantType[];
  allowed_scopes: string[];
  redirect_uris: string[];
  require_dpop: boolean;
  require_pkce: boolean;
  token_format: OAuthTokenFormat;
  active: boolean;
  revoked_at: string | null;
  created_at: string;
  last_used_at: string | null;
  source_api_key_id: string | null;
  source_key_type: string | null;
  /** `"cli"` marks the auto-provisioned CLI client (protected from update and delete). */
  system_role: string | null;
}

export interface OAuthClientDetail extends Omit<OAuthClient, 'source_key_type'> {
  step_up_scopes: string[];
}

/** Python `OAuthClientCreateResult`. */
export interface CreateOAuthClientResponse {
  id: string;
  client_id: string;
  /** Shown once; null for public clients. */
  client_secret: string | null;
  type: OAuthClientType;
  grant_types: OAuthGrantType[];
  allowed_scopes: string[];
  redirect_uris: string[];
  /** The server's top-level `warning`, copied in when present. */
  warning?: string;
}

export interface UpdateOAuthClientResponse {
  id: string;
}

export interface RotateOAuthClientSecretResponse {
  client_id: string;
  /** Shown once. */
  client_secret: string;
  /** The server's top-level `warning`, copied in when present. */
  warning?: string;
}
