/**
 * Wire types of `client.wrap` (the `/v1/wrap/*` endpoints). Rows are passed through as the
 * server sent them; only the members listed here are pinned.
 */

export interface EscrowWrapCredentialInput {
  /** Provider label, e.g. `stripe`. */
  provider: string;
  /** Name the credential is addressed by (`credential.secret` of `wrap.fetch`). */
  name: string;
  /** The provider key. Sent once; never returned. */
  value: string;
  /** Hosts the credential may be injected for (e.g. `api.stripe.com`). */
  hosts: string[];
}

export interface EscrowWrapCredentialResponse {
  secret_id: string;
  name: string;
  provider: string;
  allowed_hosts: string[];
  sandbox: boolean;
}

export interface GatewayUrlInput {
  /** The escrowed credential (name or secret id). */
  secret: string;
  host?: string;
  ttlSeconds?: number;
  label?: string;
  style?: 'path' | 'subdomain';
}

export interface GatewayUrlResponse {
  id: string;
  token: string;
  base_url: string;
  host: string;
  secret_id: string;
  sandbox: boolean;
  expires_at: string;
  base_url_style?: string;
}

/** A row of `data.tokens`; only `id` is pinned, everything else is passed through as received. */
export interface WrapGatewayToken {
  id: string;
  [key: string]: unknown;
}

export interface RevokeGatewayTokenResult {
  id: string;
  revoked: boolean;
}

export interface InterceptManifestRoute {
  /** Upstream host, with a port when not the scheme's default. */
  host: string;
  /** Path prefix the route covers, matched by whole segments. */
  base_path: string;
  slug: string;
  route_id: string;
  requires_clients: boolean;
  allowed_methods: string[] | null;
  updated_at: string;
  /** Only when another route shares the same host and base path. */
  ambiguous?: true;
}

export interface InterceptManifest {
  /** Also the ETag (`manifestEtag(version)`). */
  version: string;
  ttl_seconds: number;
  environment: string;
  sandbox: boolean;
  routes: InterceptManifestRoute[];
}

export interface InterceptManifestOptions {
  environment?: string;
  /** A manifest `version`; sent as `If-None-Match: W/"<version>"`, and a 304 resolves to `null`. */
  ifNoneMatch?: string;
  signal?: AbortSignal;
}

export interface EgressObservation {
  host: string;
  /** The first path segment (`/v1`), or `/` when it looked like a credential. */
  first_segment: string;
  method: string;
  /** A header NAME; values are never reported. */
  header_name: string;
  count: number;
  /** ISO UTC. */
  first_seen: string;
  last_seen: string;
}

export interface EgressObservationsReport {
  accepted: number;
  dropped: number;
  reasons: Record<string, unknown>;
  redacted?: Record<string, unknown>;
}

export interface ReportEgressObservationsOptions {
  /** Defaults to `node/<this package's version>`. */
  sdk?: string;
  signal?: AbortSignal;
}
