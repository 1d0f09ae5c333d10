import { createHash } from 'node:crypto';
import type { EmulatorState, RouteRow } from '../../../state.js';

/**
 * In-memory `wrap` state of one emulated tenant (resources.md §19): escrowed provider
 * credentials pinned to hosts, gateway tokens, the intercept manifest's TTL and the egress
 * observations SDKs reported. Lives in the tenant state, so `reset()` drops it.
 */

export interface EscrowedCredential {
  secret_id: string;
  name: string;
  provider: string;
  allowed_hosts: string[];
  sandbox: boolean;
  /** Never returned by any endpoint; injected upstream only. */
  value: string;
}

export interface GatewayTokenRow {
  id: string;
  /** Plaintext; only the create answer carries it. */
  token: string;
  label: string | null;
  host: string;
  secret_id: string;
  style: 'path' | 'subdomain';
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

/** One reported observation as the emulator recorded it (plus the reporting SDK tag). */
export interface EgressObservationRow {
  sdk: string;
  host: string;
  first_segment: string;
  method: string;
  header_name: string;
  count: number;
  first_seen: string;
  last_seen: string;
}

export interface WrapStore {
  credentials: Map<string, EscrowedCredential>;
  tokens: Map<string, GatewayTokenRow>;
  observations: EgressObservationRow[];
  manifestTtlSeconds: number;
}

export function wrapStore(state: EmulatorState): WrapStore {
  return state.store<WrapStore>('ext:wrap', () => ({ credentials: new Map(), tokens: new Map(), observations: [], manifestTtlSeconds: 60 }));
}

export function credentialByName(state: EmulatorState, name: string): EscrowedCredential | undefined {
  for (const c of wrapStore(state).credentials.values()) if (c.name === name) return c;
  return undefined;
}

/** `host` with any port, lower-cased, compared against a credential's pins (which may carry a port). */
export function hostAllowed(credential: EscrowedCredential, url: URL): boolean {
  const host = url.host.toLowerCase();
  const hostname = url.hostname.toLowerCase();
  return credential.allowed_hosts.some((h) => h.toLowerCase() === host || h.toLowerCase() === hostname);
}

export interface ManifestRoute {
  host: string;
  base_path: string;
  slug: string;
  route_id: string;
  requires_clients: boolean;
  allowed_methods: string[] | null;
  updated_at: string;
  ambiguous?: true;
}

/** Whether `route` is intercept-enabled in `env` (the environment's own row wins over the route's). */
function interceptEnabledIn(route: RouteRow, env: string): boolean {
  if (!route.enabled) return false;
  const own = route.configs.get(env);
  if (own && env !== route.base_environment) return own.enabled && own.intercept_enabled;
  return route.intercept_enabled;
}

function targetOf(route: RouteRow, env: string): string | null {
  return route.configs.get(env)?.target_base_url ?? route.configs.get(route.base_environment)?.target_base_url ?? null;
}

/** The manifest entries for `env`: every intercept-enabled route with a slug, keyed by its upstream host and base path. */
export function manifestRoutes(state: EmulatorState, env: string): ManifestRoute[] {
  const out: ManifestRoute[] = [];
  for (const route of state.routes.values()) {
    if (route.slug === null || !interceptEnabledIn(route, env)) continue;
    const target = targetOf(route, env);
    if (target === null) continue;
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      continue;
    }
    const cfg = route.configs.get(env) ?? route.configs.get(route.base_environment);
    out.push({
      host: url.host.toLowerCase(),
      base_path: url.pathname.replace(/\/+$/, '') || '/',
      slug: route.slug,
      route_id: route.id,
      requires_clients: route.requires_clients,
      allowed_methods: cfg?.allowed_methods ?? null,
      updated_at: cfg?.updated_at ?? route.created_at,
    });
  }
  out.sort((a, b) => (a.host + a.base_path + a.slug < b.host + b.base_path + b.slug ? -1 : 1));
  for (const entry of out) {
    if (out.some((o) => o !== entry && o.host === entry.host && o.base_path === entry.base_path)) entry.ambiguous = true;
  }
  return out;
}

/** The manifest version (also its ETag): a digest of what a client decides by, so it changes exactly when routing does. */
export function manifestVersion(routes: readonly ManifestRoute[], env: string): string {
  const digest = createHash('sha256');
  digest.update(env);
  for (const r of routes) digest.update(`\n${r.host} ${r.base_path} ${r.slug} ${r.route_id} ${r.updated_at} ${String(r.allowed_methods)}`);
  return `v1-${digest.digest('hex').slice(0, 16)}`;
}

/**
 * The slug of an intercept-enabled route that now covers `url` (longest base path by whole
 * segments), for the `X-Knox-Promoted-Route` hint on ephemeral answers.
 */
export function promotedRouteFor(state: EmulatorState, url: URL, env: string): string | undefined {
  const host = url.host.toLowerCase();
  let best: ManifestRoute | undefined;
  for (const r of manifestRoutes(state, env)) {
    if (r.host !== host) continue;
    const base = r.base_path === '/' ? '' : r.base_path;
    if (url.pathname !== base && !url.pathname.startsWith(`${base}/`) && base !== '') continue;
    if (!best || r.base_path.length > best.base_path.length) best = r;
  }
  return best?.slug;
}
