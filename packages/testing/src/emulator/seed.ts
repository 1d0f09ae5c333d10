import { newId, opaqueToken } from './ids.js';
import { seedWebhooks } from './resources/webhooks.js';
import { makeEnvConfig, makeRoute, makeSecret } from './row-factories.js';
import { type AccountRow, EmulatorState } from './state.js';
import type { EmulatorCredentials, EmulatorSeed, SeedApiKey, SeedEnvironment, SeedOAuthClient, SeedRefreshToken } from './types.js';

/**
 * The alias of the public CLI client every tenant has (auth.md §9). The real client has its own
 * `kc_cli_…` id, returned as `client_id` by token responses; seeded refresh tokens default to it.
 */
export const CLI_CLIENT_ALIAS = 'knoxcall-cli';
const TENANT_SLUG = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/**
 * A seed with every generated value (ids, credentials) fixed once at start, so `reset()` can
 * rebuild exactly the same initial tenant and the credentials handed to the test stay valid.
 */
export interface ResolvedSeed {
  account: AccountRow;
  seed: EmulatorSeed;
  oauthClients: Array<Required<Pick<SeedOAuthClient, 'client_id' | 'id'>> & SeedOAuthClient>;
  apiKeys: Array<Required<Pick<SeedApiKey, 'key' | 'id'>> & SeedApiKey>;
  refreshTokens: SeedRefreshToken[];
  environments: Array<SeedEnvironment & { id: string }>;
  credentials: EmulatorCredentials;
  /** The real id of the public CLI client. */
  cliClientId: string;
  createdAt: string;
}

const DEFAULT_ENVIRONMENTS: SeedEnvironment[] = [
  { name: 'production', display_name: 'Production', color: '#10b981', is_default: true },
  { name: 'staging', display_name: 'Staging', color: '#f59e0b' },
  { name: 'development', display_name: 'Development', color: '#3b82f6' },
];

export function resolveSeed(seed: EmulatorSeed, nowMs: number): ResolvedSeed {
  const createdAt = new Date(nowMs).toISOString();
  const tenantIn = typeof seed.tenant === 'string' ? { slug: seed.tenant } : (seed.tenant ?? { slug: 'acme' });
  if (!TENANT_SLUG.test(tenantIn.slug)) {
    throw new TypeError(`startEmulator: seed tenant slug "${tenantIn.slug}" is invalid; use lower-case letters, digits and inner dashes (e.g. "acme")`);
  }
  const account: AccountRow = {
    id: tenantIn.id ?? newId(),
    slug: tenantIn.slug,
    name: tenantIn.name ?? `${tenantIn.slug} (emulated)`,
    region: tenantIn.region ?? 'us',
    subscription_plan: tenantIn.plan ?? 'pro',
    subscription_status: 'active',
    trial_start_at: null,
    trial_end_at: null,
    subscription_current_period_start: createdAt,
    subscription_current_period_end: null,
    subscription_cancel_at: null,
    created_at: createdAt,
  };

  const oauthClients = (seed.oauth_clients?.length ? seed.oauth_clients : [{}]).map((c) => ({
    ...c,
    id: c.id ?? newId(),
    client_id: c.client_id ?? opaqueToken('kc_client_', 8),
    client_secret: c.type === 'public' ? null : c.client_secret === undefined ? opaqueToken('kcs_', 24) : c.client_secret,
  }));
  const firstConfidential = oauthClients.find((c) => typeof c.client_secret === 'string');

  const keysIn = seed.api_keys ?? [];
  const apiKeys = keysIn.map((k) => ({ ...k, id: k.id ?? newId(), key: k.key ?? opaqueToken('kc_live_', 24) }));
  if (!apiKeys.some((k) => k.key.startsWith('kc_'))) {
    apiKeys.push({ id: newId(), key: opaqueToken('kc_live_', 24), name: 'Emulator key' });
  }
  if (!apiKeys.some((k) => k.key.startsWith('tk_'))) {
    apiKeys.push({ id: newId(), key: opaqueToken('tk_live_', 24), name: 'Emulator legacy key', key_type: 'legacy' });
  }

  const environments = (seed.environments?.length ? seed.environments : DEFAULT_ENVIRONMENTS).map((e) => ({ ...e, id: e.id ?? newId() }));
  if (!environments.some((e) => e.is_default) && environments[0]) environments[0] = { ...environments[0], is_default: true };

  // Routes, secrets and webhooks get fixed ids too, so a test can use a seeded id after reset().
  const fixedSeed: EmulatorSeed = {
    ...seed,
    secrets: seed.secrets?.map((s) => ({ ...s, id: s.id ?? newId() })),
    routes: seed.routes?.map((r) => ({ ...r, id: r.id ?? newId() })),
    webhooks: seed.webhooks?.map((w) => ({ ...w, id: w.id ?? newId(), secret_key: w.secret_key ?? opaqueToken('whsec_', 24) })),
  };

  return {
    account,
    seed: fixedSeed,
    oauthClients,
    apiKeys,
    refreshTokens: seed.refresh_tokens ?? [],
    cliClientId: seed.cli_client_id ?? opaqueToken('kc_cli_', 8),
    environments,
    createdAt,
    credentials: {
      clientId: firstConfidential?.client_id ?? oauthClients[0]?.client_id ?? '',
      clientSecret: firstConfidential?.client_secret ?? '',
      apiKey: apiKeys.find((k) => k.key.startsWith('kc_'))?.key ?? '',
      legacyKey: apiKeys.find((k) => k.key.startsWith('tk_'))?.key ?? '',
    },
  };
}

export function buildState(resolved: ResolvedSeed, clock: () => number): EmulatorState {
  const state = new EmulatorState(resolved, clock);
  const at = resolved.createdAt;
  for (const e of resolved.environments) {
    state.environments.set(e.id, {
      id: e.id,
      tenant_id: resolved.account.id,
      name: e.name,
      display_name: e.display_name ?? e.name,
      description: e.description ?? null,
      color: e.color ?? '#6b7280',
      is_default: e.is_default ?? false,
      sandbox: false,
      created_at: at,
    });
  }
  const clients = [...resolved.oauthClients];
  if (!clients.some((c) => c.client_id === resolved.cliClientId)) {
    clients.push({ id: newId(), client_id: resolved.cliClientId, client_secret: null, name: 'KnoxCall CLI', type: 'public' });
  }
  for (const c of clients) {
    const isCli = c.client_id === resolved.cliClientId;
    state.oauthClients.set(c.id, {
      id: c.id,
      client_id: c.client_id,
      client_secret: c.client_secret ?? null,
      name: c.name ?? (isCli ? 'KnoxCall CLI' : 'Emulator client'),
      type: c.type ?? (c.client_secret ? 'confidential' : 'public'),
      grant_types:
        c.grant_types ??
        (isCli ? ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'] : ['client_credentials', 'refresh_token']),
      allowed_scopes: c.allowed_scopes ?? [],
      redirect_uris: [],
      require_dpop: c.require_dpop ?? false,
      require_pkce: true,
      token_format: 'opaque',
      active: true,
      revoked_at: null,
      created_at: at,
      last_used_at: null,
      source_api_key_id: null,
      source_key_type: null,
      system_role: isCli ? 'cli' : null,
      step_up_scopes: [],
      consent_html_template: null,
    });
  }
  for (const k of resolved.apiKeys) {
    const legacy = k.key.startsWith('tk_');
    state.apiKeys.set(k.id, {
      id: k.id,
      key_id: k.id.slice(0, 8),
      key: k.key,
      key_prefix: k.key.slice(0, 12),
      key_type: k.key_type ?? (legacy ? 'legacy' : 'standard'),
      name: k.name ?? 'Seeded key',
      active: true,
      created_at: at,
      last_used_at: null,
      rate_limit_requests: k.rate_limit_requests ?? null,
      rate_limit_window_sec: k.rate_limit_window_sec ?? null,
      role_ids: [],
      hits: [],
    });
  }
  for (const r of resolved.refreshTokens) {
    state.refreshTokens.set(r.token, {
      token: r.token,
      client_id: r.client_id === undefined || r.client_id === CLI_CLIENT_ALIAS ? resolved.cliClientId : r.client_id,
      scope: r.scope ?? '',
      used: false,
    });
  }
  for (const s of resolved.seed.secrets ?? []) {
    const row = makeSecret(state, { id: s.id, name: s.name, value: s.value, description: s.description ?? null });
    for (const [envName, value] of Object.entries(s.environments ?? {})) {
      row.values.set(envName, { value, value_version: 1, updated_at: at, expires_at_override: null });
    }
    state.secrets.set(row.id, row);
  }
  for (const r of resolved.seed.routes ?? []) {
    const route = makeRoute(state, {
      id: r.id,
      name: r.name,
      slug: r.slug ?? null,
      target_base_url: r.target_base_url,
      enabled: r.enabled ?? true,
      base_environment: r.base_environment,
      inject_headers_json: r.inject_headers_json,
      inject_body_json: r.inject_body_json,
      intercept_enabled: r.intercept_enabled,
    });
    for (const [envName, cfg] of Object.entries(r.environments ?? {})) {
      const existing = route.configs.get(envName);
      const merged = makeEnvConfig(route.id, envName, at, {
        ...(existing ?? {}),
        ...(cfg.target_base_url !== undefined ? { target_base_url: cfg.target_base_url } : {}),
        ...(cfg.inject_headers_json !== undefined ? { inject_headers_json: cfg.inject_headers_json } : {}),
        ...(cfg.inject_body_json !== undefined ? { inject_body_json: cfg.inject_body_json } : {}),
        ...(cfg.enabled !== undefined ? { enabled: cfg.enabled } : {}),
      });
      route.configs.set(envName, merged);
    }
    state.routes.set(route.id, route);
  }
  seedWebhooks(state, resolved.seed.webhooks ?? []);
  return state;
}
