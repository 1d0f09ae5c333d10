/** Public option, seed and result types of the emulator. Wire names stay snake_case. */

/** A JSON object as found in `inject_headers_json` / `inject_body_json`. */
export type JsonObject = { [key: string]: unknown };

/**
 * Seed schema (also the CLI's `--seed file.json`). Every member is optional; what is omitted is
 * generated (random credentials, default environments `production` (default), `staging`,
 * `development`). Ids you give are kept, so tests can refer to them.
 */
export interface EmulatorSeed {
  /** Tenant slug (default `acme`), or the full account record. */
  tenant?: string | { slug: string; name?: string; id?: string; region?: string; plan?: string };
  /** OAuth clients; the FIRST one becomes `credentials.clientId/clientSecret`. */
  oauth_clients?: SeedOAuthClient[];
  /** API keys. The first `kc_` key becomes `credentials.apiKey`, the first `tk_` key `credentials.legacyKey`. */
  api_keys?: SeedApiKey[];
  /** Refresh tokens accepted by `grant_type=refresh_token` (credentials-file flows). */
  refresh_tokens?: SeedRefreshToken[];
  /** Real id of the public CLI client behind the `knoxcall-cli` alias (default: generated `kc_cli_…`). */
  cli_client_id?: string;
  /** Tenant environments (replaces the three defaults when given). */
  environments?: SeedEnvironment[];
  secrets?: SeedSecret[];
  routes?: SeedRoute[];
  webhooks?: SeedWebhook[];
}

export interface SeedOAuthClient {
  client_id?: string;
  /** Omit for a public client (no secret; e.g. the CLI client used by refresh-token flows). */
  client_secret?: string | null;
  name?: string;
  type?: 'confidential' | 'public';
  grant_types?: string[];
  allowed_scopes?: string[];
  /** Token requests for this client must carry a DPoP proof (`invalid_dpop_proof` otherwise). */
  require_dpop?: boolean;
  id?: string;
}

export interface SeedApiKey {
  /** The plaintext key: `kc_…` (Bearer) or legacy `tk_…` (data plane `x-knoxcall-key` only). */
  key?: string;
  name?: string;
  /** Default: `legacy` for `tk_` keys, else `standard`. */
  key_type?: 'standard' | 'test' | 'legacy';
  /** Emulated per-key rate limit on management calls (429 + Retry-After when exceeded). */
  rate_limit_requests?: number | null;
  rate_limit_window_sec?: number | null;
  id?: string;
}

export interface SeedRefreshToken {
  token: string;
  /** Default: the public CLI client (`knoxcall-cli` is accepted as its alias). */
  client_id?: string;
  scope?: string;
}

export interface SeedEnvironment {
  name: string;
  display_name?: string;
  description?: string | null;
  color?: string;
  is_default?: boolean;
  id?: string;
}

export interface SeedSecret {
  name: string;
  /** The value in the secret's base environment. */
  value: string;
  /** Extra per-environment values, keyed by environment NAME. */
  environments?: Record<string, string>;
  id?: string;
  description?: string | null;
}

export interface SeedRouteEnvironment {
  target_base_url?: string;
  inject_headers_json?: JsonObject;
  inject_body_json?: JsonObject;
  enabled?: boolean;
}

export interface SeedRoute {
  name: string;
  slug?: string | null;
  target_base_url: string;
  enabled?: boolean;
  /** Default: the tenant's default environment. */
  base_environment?: string;
  /** Headers added to every proxied request; `{{secret:<name>}}` / `{{secret_id:<uuid>}}` resolved. */
  inject_headers_json?: JsonObject;
  /** Members merged into JSON request bodies; placeholders resolved. */
  inject_body_json?: JsonObject;
  /** Per-environment overrides keyed by environment NAME. */
  environments?: Record<string, SeedRouteEnvironment>;
  /** Listed in the `wrap` intercept manifest (default false). */
  intercept_enabled?: boolean;
  id?: string;
}

export interface SeedWebhook {
  name: string;
  url: string;
  event_types?: string[];
  secret_key?: string;
  hmac_format?: 'legacy' | 'stripe' | 'github' | 'slack' | 'aws-sns' | 'custom';
  hmac_header_name?: string | null;
  enabled?: boolean;
  id?: string;
}

export interface EmulatorOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  seed?: EmulatorSeed;
  /** `expires_in` of minted access tokens (default 3600). */
  tokenTtlSeconds?: number;
  /** Token requests without a DPoP proof get 400 `invalid_dpop_proof`. */
  requireDpop?: boolean;
  /** Demand DPoP server nonces (`DPoP-Nonce` + `use_dpop_nonce`) on the token endpoint and resources. */
  dpopNonces?: boolean;
  /** Clock in epoch ms used for token expiry and DPoP `iat` checks (default `Date.now`). */
  now?: () => number;
  /**
   * Device-flow polling interval (s) announced to clients (default 5). Polling faster than the
   * current interval answers `slow_down` and adds 5 s to it (RFC 8628 §3.5).
   */
  deviceIntervalSeconds?: number;
  /** Request-body cap in bytes (default 1 MiB); larger bodies get 413. */
  maxBodyBytes?: number;
}

/** One received request, as `requests()` reports it. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Query parameters (first value of each name). */
  query: Record<string, string>;
  /** Lower-cased header names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** The raw body as text (`''` when none). */
  body: string;
}

/** One step of a fault script; each matching request consumes one step. */
export type ScriptStep =
  | { status: number; headers?: Record<string, string>; body?: unknown }
  | { reset: true }
  | { delayMs: number }
  | { rawBody: string; status?: number; headers?: Record<string, string> };

export interface EmulatorCredentials {
  clientId: string;
  clientSecret: string;
  /** A `kc_` API key usable as `Authorization: Bearer`. */
  apiKey: string;
  /** A legacy `tk_` key, accepted only on the data plane via `x-knoxcall-key`. */
  legacyKey: string;
}
