import type { ResolvedSeed } from './seed.js';
import type { JsonObject } from './types.js';

/**
 * The tenant's in-memory data. One instance per emulator; `reset()` replaces it with a fresh one
 * built from the same resolved seed, so ids and credentials survive a reset while everything a
 * test created disappears.
 */

export interface AccountRow {
  id: string;
  slug: string;
  name: string;
  region: string;
  subscription_plan: string;
  subscription_status: string;
  trial_start_at: string | null;
  trial_end_at: string | null;
  subscription_current_period_start: string | null;
  subscription_current_period_end: string | null;
  subscription_cancel_at: string | null;
  created_at: string;
}

export interface EnvironmentRow {
  id: string;
  tenant_id: string;
  name: string;
  display_name: string;
  description: string | null;
  color: string;
  is_default: boolean;
  sandbox: boolean;
  created_at: string;
}

export interface OAuthClientRow {
  id: string;
  client_id: string;
  /** null for public clients. */
  client_secret: string | null;
  name: string;
  type: string;
  grant_types: string[];
  allowed_scopes: string[];
  redirect_uris: string[];
  require_dpop: boolean;
  require_pkce: boolean;
  token_format: string;
  active: boolean;
  revoked_at: string | null;
  created_at: string;
  last_used_at: string | null;
  source_api_key_id: string | null;
  source_key_type: string | null;
  system_role: string | null;
  step_up_scopes: string[];
  consent_html_template: string | null;
}

export interface ApiKeyRow {
  id: string;
  key_id: string;
  key: string;
  key_prefix: string;
  key_type: string;
  name: string;
  active: boolean;
  created_at: string;
  last_used_at: string | null;
  rate_limit_requests: number | null;
  rate_limit_window_sec: number | null;
  role_ids: string[];
  /** Timestamps (ms) of recent management calls, for the emulated rate limit. */
  hits: number[];
}

export interface AccessTokenRow {
  token: string;
  client_id: string;
  scope: string;
  expires_at_ms: number;
  /** DPoP key thumbprint (`cnf.jkt`) when the token is DPoP-bound. */
  jkt: string | null;
}

export interface RefreshTokenRow {
  token: string;
  client_id: string;
  scope: string;
  used: boolean;
}

export interface SecretValue {
  value: string;
  value_version: number;
  updated_at: string;
  expires_at_override: string | null;
}

export interface SecretRow {
  id: string;
  name: string;
  shortcode_name: string;
  base_environment: string;
  secret_type: string;
  description: string | null;
  collection_id: string | null;
  created_at: string;
  updated_at: string;
  expires_at: string | null;
  strict_expiry_enforcement: boolean;
  /** Values by environment NAME. */
  values: Map<string, SecretValue>;
  /** Type-specific extras (oauth2 provider, certificate metadata, …). */
  extras: JsonObject;
}

export interface RouteEnvConfigRow {
  id: string;
  route_id: string;
  environment_name: string;
  target_base_url: string | null;
  inject_headers_json: JsonObject;
  inject_body_json: JsonObject;
  created_at: string;
  updated_at: string;
  require_signature: boolean;
  signature_tolerance_sec: number;
  rate_limit_enabled: boolean;
  rate_limit_requests: number | null;
  rate_limit_window_sec: number | null;
  rate_limit_burst: number | null;
  allowed_methods: string[] | null;
  method_configs: unknown[] | null;
  use_method_specific_configs: boolean | null;
  http_method_restrictions_enabled: boolean | null;
  egress_server_id: string | null;
  enabled: boolean;
  requires_clients: boolean;
  mtls_certificate_id: string | null;
  payload_structure: JsonObject;
  injection_rules: unknown[];
  ip_allowlist: string[];
  data_plane_node_id: string | null;
  intercept_enabled: boolean;
}

export interface RouteActionRow {
  id: string;
  route_id: string;
  tenant_id: string;
  direction: string;
  action: string;
  selectors: string[];
  key_name: string | null;
  data_role: string | null;
  content_type: string;
  sort_order: number;
  enabled: boolean;
}

export interface RouteLogRow {
  id: string;
  request_id: string;
  ts: string;
  src_ip: string | null;
  method: string;
  path: string;
  status_code: number | null;
  latency_ms: number | null;
  upstream_host: string | null;
  error: string | null;
  environment: string | null;
  rate_limited: boolean;
  signature_valid: boolean | null;
  source_ip_country: string | null;
  source_ip_city: string | null;
}

export interface RouteRow {
  id: string;
  tenant_id: string;
  name: string;
  slug: string | null;
  sandbox: boolean;
  enabled: boolean;
  requires_clients: boolean;
  intercept_enabled: boolean;
  base_environment: string;
  mtls_certificate_id: string | null;
  egress_server_id: string | null;
  collection_id: string | null;
  data_plane_node_id: string | null;
  created_at: string;
  /** Environment configs by environment NAME; the base environment's row holds the route-level values. */
  configs: Map<string, RouteEnvConfigRow>;
  actions: RouteActionRow[];
  logs: RouteLogRow[];
}

export interface AuditRow {
  /** Monotonic sequence, also the cursor of the events feed. */
  seq: number;
  id: string;
  action: string;
  resource_type: string;
  resource_id: string | null;
  details: JsonObject;
  ip_address: string | null;
  created_at: string;
}

export class EmulatorState {
  readonly account: AccountRow;
  readonly environments = new Map<string, EnvironmentRow>();
  readonly oauthClients = new Map<string, OAuthClientRow>();
  readonly apiKeys = new Map<string, ApiKeyRow>();
  readonly accessTokens = new Map<string, AccessTokenRow>();
  readonly refreshTokens = new Map<string, RefreshTokenRow>();
  readonly secrets = new Map<string, SecretRow>();
  readonly routes = new Map<string, RouteRow>();
  readonly auditLog: AuditRow[] = [];
  private auditSeq = 0;
  /** Lazily created per-family stores (see `store`). */
  private readonly stores = new Map<string, unknown>();

  constructor(
    readonly seed: ResolvedSeed,
    readonly clock: () => number,
  ) {
    this.account = { ...seed.account };
  }

  nowIso(): string {
    return new Date(this.clock()).toISOString();
  }

  /**
   * Storage for a resource family that the core state does not model (e.g. the extended tier):
   * created on first use with `init`, dropped by `reset()`.
   */
  store<T>(name: string, init: () => T): T {
    if (!this.stores.has(name)) this.stores.set(name, init());
    return this.stores.get(name) as T;
  }

  defaultEnvironment(): EnvironmentRow | undefined {
    for (const env of this.environments.values()) if (env.is_default) return env;
    return this.environments.values().next().value;
  }

  environmentByName(name: string): EnvironmentRow | undefined {
    for (const env of this.environments.values()) if (env.name === name) return env;
    return undefined;
  }

  /** Route by UUID, slug, or legacy bare name (in that order). */
  findRoute(ref: string): RouteRow | undefined {
    const byId = this.routes.get(ref);
    if (byId) return byId;
    for (const r of this.routes.values()) if (r.slug !== null && r.slug === ref) return r;
    for (const r of this.routes.values()) if (r.name === ref) return r;
    return undefined;
  }

  findSecretByName(name: string): SecretRow | undefined {
    for (const s of this.secrets.values()) if (s.name === name) return s;
    return undefined;
  }

  audit(action: string, resourceType: string, resourceId: string | null, details: JsonObject = {}): void {
    this.auditSeq += 1;
    this.auditLog.push({
      seq: this.auditSeq,
      id: crypto.randomUUID(),
      action,
      resource_type: resourceType,
      resource_id: resourceId,
      details,
      ip_address: '127.0.0.1',
      created_at: this.nowIso(),
    });
  }
}
