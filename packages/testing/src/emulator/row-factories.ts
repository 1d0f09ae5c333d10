import { newId } from './ids.js';
import type { EmulatorState, RouteEnvConfigRow, RouteRow, SecretRow } from './state.js';
import type { JsonObject } from './types.js';

/** Builders shared by the seed loader and the resource handlers, so both produce identical rows. */

export function makeEnvConfig(routeId: string, environmentName: string, now: string, input: Partial<RouteEnvConfigRow> = {}): RouteEnvConfigRow {
  return {
    id: newId(),
    route_id: routeId,
    environment_name: environmentName,
    target_base_url: null,
    inject_headers_json: {},
    inject_body_json: {},
    created_at: now,
    updated_at: now,
    require_signature: false,
    signature_tolerance_sec: 300,
    rate_limit_enabled: false,
    rate_limit_requests: null,
    rate_limit_window_sec: null,
    rate_limit_burst: null,
    allowed_methods: null,
    method_configs: null,
    use_method_specific_configs: false,
    http_method_restrictions_enabled: false,
    egress_server_id: null,
    enabled: true,
    requires_clients: false,
    mtls_certificate_id: null,
    payload_structure: {},
    injection_rules: [],
    ip_allowlist: [],
    data_plane_node_id: null,
    intercept_enabled: false,
    ...input,
  };
}

export interface NewRouteInput {
  id?: string;
  name: string;
  slug?: string | null;
  target_base_url: string;
  enabled?: boolean;
  base_environment?: string;
  inject_headers_json?: JsonObject;
  inject_body_json?: JsonObject;
  intercept_enabled?: boolean;
  collection_id?: string | null;
  ip_allowlist?: string[];
}

export function makeRoute(state: EmulatorState, input: NewRouteInput): RouteRow {
  const now = state.nowIso();
  const id = input.id ?? newId();
  const base = input.base_environment ?? state.defaultEnvironment()?.name ?? 'production';
  const route: RouteRow = {
    id,
    tenant_id: state.account.id,
    name: input.name,
    slug: input.slug ?? null,
    sandbox: false,
    enabled: input.enabled ?? true,
    requires_clients: false,
    intercept_enabled: input.intercept_enabled ?? false,
    base_environment: base,
    mtls_certificate_id: null,
    egress_server_id: null,
    collection_id: input.collection_id ?? null,
    data_plane_node_id: null,
    created_at: now,
    configs: new Map(),
    actions: [],
    logs: [],
  };
  route.configs.set(
    base,
    makeEnvConfig(id, base, now, {
      target_base_url: input.target_base_url,
      inject_headers_json: input.inject_headers_json ?? {},
      inject_body_json: input.inject_body_json ?? {},
      intercept_enabled: input.intercept_enabled ?? false,
      ip_allowlist: input.ip_allowlist ?? [],
    }),
  );
  return route;
}

export interface NewSecretInput {
  id?: string;
  name: string;
  value: string;
  secret_type?: string;
  description?: string | null;
  environment?: string;
  collection_id?: string | null;
  expires_at?: string | null;
  strict_expiry_enforcement?: boolean;
  extras?: JsonObject;
}

export function makeSecret(state: EmulatorState, input: NewSecretInput): SecretRow {
  const now = state.nowIso();
  const base = input.environment ?? state.defaultEnvironment()?.name ?? 'production';
  const row: SecretRow = {
    id: input.id ?? newId(),
    name: input.name,
    shortcode_name: input.name.toUpperCase().replace(/[^A-Z0-9]+/g, '_'),
    base_environment: base,
    secret_type: input.secret_type ?? 'string',
    description: input.description ?? null,
    collection_id: input.collection_id ?? null,
    created_at: now,
    updated_at: now,
    expires_at: input.expires_at ?? null,
    strict_expiry_enforcement: input.strict_expiry_enforcement ?? false,
    values: new Map(),
    extras: input.extras ?? {},
  };
  row.values.set(base, { value: input.value, value_version: 1, updated_at: now, expires_at_override: null });
  return row;
}
