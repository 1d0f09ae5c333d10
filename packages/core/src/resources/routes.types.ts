/** Input and response types of `client.routes` (contract resources §1, §21.2). */
import type { JsonObject, JsonValue } from './common-types.js';

export type RouteActionDirection = 'request' | 'response' | (string & {});
export type RouteActionKind = 'encrypt' | 'decrypt' | 'tokenize' | 'detokenize' | (string & {});

export interface ListRoutesParams {
  page?: number;
  per_page?: number;
  /** Only enabled (true) or disabled (false) routes. */
  enabled?: boolean;
}

/** Signature, rate-limit and method columns shared by the route and its environments. */
export interface RoutePolicyFields {
  require_signature?: boolean;
  signature_tolerance_sec?: number;
  rate_limit_enabled?: boolean;
  rate_limit_requests?: number | null;
  rate_limit_window_sec?: number | null;
  rate_limit_burst?: number | null;
  allowed_methods?: string[] | null;
}

export interface CreateRouteInput {
  name: string;
  target_base_url: string;
  /** Write-once, immutable; preferred way to address the route. */
  slug?: string;
  intercept_enabled?: boolean;
  base_environment?: string;
  inject_headers_json?: JsonObject;
  inject_body_json?: JsonObject;
  ip_allowlist?: string[];
  method_configs?: JsonValue;
  collection_id?: string | null;
}

export interface UpdateRouteInput extends RoutePolicyFields {
  name?: string;
  target_base_url?: string;
  enabled?: boolean;
  requires_clients?: boolean;
  intercept_enabled?: boolean;
  /** Settable once. */
  slug?: string;
  mtls_certificate_id?: string | null;
  inject_headers_json?: JsonObject;
  inject_body_json?: JsonObject;
  ip_allowlist?: string[];
  http_method_restrictions_enabled?: boolean;
  egress_server_id?: string | null;
  data_plane_node_id?: string | null;
}

export interface RouteEnvironmentInput extends RoutePolicyFields {
  intercept_enabled?: boolean;
  target_base_url?: string;
  inject_headers_json?: JsonObject;
  inject_body_json?: JsonObject;
  /** @deprecated Never applied; a non-empty value is answered with 400. Use `{{secret:<name>}}` body placeholders. */
  injection_rules?: JsonValue[];
  /** IPs or CIDRs. */
  ip_allowlist?: string[];
  /** The environment's serving switch. */
  enabled?: boolean;
}

export interface CreateRouteActionInput {
  direction: RouteActionDirection;
  action: RouteActionKind;
  /** JSONPath-like selectors, e.g. `$.card.number`. */
  selectors: string[];
  key_name?: string;
  data_role?: string;
  content_type?: string;
  sort_order?: number;
}

/** List row (Python `Route`). */
export interface RouteListItem {
  id: string;
  name: string;
  slug: string | null;
  target_base_url: string | null;
  base_environment: string | null;
  enabled: boolean;
  requires_clients: boolean;
  collection_id: string | null;
  created_at: string;
  environment_override_count: number;
  require_signature: boolean | null;
  rate_limit_enabled: boolean | null;
  rate_limit_requests: number | null;
  rate_limit_window_sec: number | null;
  allowed_methods: string[] | null;
  intercept_enabled?: boolean;
}

/** `routes.get` result (Python `RouteDetail`). */
export interface Route {
  id: string;
  name: string;
  slug: string | null;
  target_base_url: string | null;
  base_environment: string | null;
  enabled: boolean;
  requires_clients: boolean;
  mtls_certificate_id: string | null;
  collection_id: string | null;
  created_at: string;
  environment_override_count: number;
  configured_environments: string[];
  intercept_enabled?: boolean;
  payload_structure?: JsonObject;
  injection_rules?: JsonValue[];
  ip_allowlist?: string[];
  data_plane_node_id?: string | null;
}

/** Create/update result (Python `RouteFull`). */
export interface RouteRecord {
  id: string;
  tenant_id: string;
  name: string;
  slug: string | null;
  sandbox: boolean;
  target_base_url: string | null;
  enabled: boolean;
  created_at: string;
  requires_clients: boolean;
  base_environment: string | null;
  mtls_certificate_id: string | null;
  egress_server_id: string | null;
  collection_id: string | null;
  favicon_url: string | null;
  favicon_updated_at: string | null;
  favicon_data: string | null;
}

export interface RouteLogEntry {
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

/** `listEnvironments` row (Python `RouteEnvironmentListItem`). */
export interface RouteEnvironmentSummary {
  environment_name: string;
  target_base_url: string;
  inject_headers_json: JsonObject;
  inject_body_json: JsonObject;
  require_signature: boolean;
  signature_tolerance_sec: number;
  rate_limit_enabled: boolean;
  rate_limit_requests: number | null;
  rate_limit_window_sec: number | null;
  rate_limit_burst: number | null;
  allowed_methods: string[] | null;
  enabled?: boolean;
  requires_clients?: boolean;
  mtls_certificate_id?: string | null;
}

/** `upsertEnvironment` result. */
export interface RouteEnvironmentConfig {
  id: string;
  route_id: string;
  environment_name: string;
  target_base_url: string;
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
  method_configs: JsonValue[] | null;
  use_method_specific_configs: boolean | null;
  http_method_restrictions_enabled: boolean | null;
  egress_server_id: string | null;
  enabled: boolean;
  requires_clients: boolean;
  mtls_certificate_id: string | null;
  payload_structure: JsonObject;
  injection_rules: JsonValue[];
  ip_allowlist: string[];
  data_plane_node_id: string | null;
  intercept_enabled: boolean;
}

export interface RouteAction {
  id: string;
  direction: RouteActionDirection;
  action: RouteActionKind;
  selectors: string[];
  key_name: string | null;
  data_role: string | null;
  content_type: string;
  route_id?: string;
  tenant_id?: string;
  sort_order?: number;
  enabled?: boolean;
}
