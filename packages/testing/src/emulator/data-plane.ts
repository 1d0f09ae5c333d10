import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import { authenticate } from './auth.js';
import { isJsonContentType } from './body.js';
import type { EmulatorCore } from './core.js';
import { ApiError } from './errors.js';
import { forward, forwardableRequestHeaders } from './forward.js';
import { newId } from './ids.js';
import type { Reply } from './reply.js';
import { detokenizeAnywhere } from './resources/vaults.js';
import { emitRequestEvents } from './resources/webhooks.js';
import { promotedRouteFor } from './resources/extended/wrap/store.js';
import { escrowedAuthorization } from './resources/extended/wrap/upstream-auth.js';
import type { EmulatorState, RouteEnvConfigRow, RouteRow } from './state.js';
import type { JsonObject } from './types.js';

/**
 * The data plane (transport.md §8): a request carrying `x-knoxcall-route` is proxied to the
 * route's upstream with the route's stored secrets injected, and `/v1/proxy` forwards to the URL
 * in `X-Knox-Proxy-URL`. Upstream answers are marked (`X-Knox-Upstream-Status` /
 * `X-Knox-Destination-Status`); KnoxCall's own refusals are not.
 */

const UPSTREAM_TIMEOUT_MS = 30_000;
const RESERVED_TENANT_LABELS = new Set(['api', 'sandbox', 'api-staging', 'sandbox-staging', 'www', 'staging', 'admin']);

/** transport.md §8.2: tenant hosts (`acme.knoxcall.com`, `sandbox-acme.knoxcall.com`) serve the data plane under `/api`. */
export function isTenantShapedHost(hostHeader: string | undefined): boolean {
  if (!hostHeader) return false;
  const hostname = hostHeader.replace(/:\d+$/, '').toLowerCase();
  const m = /^([^.]+)\.knoxcall\.com$/.exec(hostname);
  return m !== null && !RESERVED_TENANT_LABELS.has(m[1]!);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

const PLACEHOLDER = /\{\{\s*(secret|secret_id)\s*:\s*([^}\s]+)\s*\}\}/g;

/** Replaces `{{secret:<name>}}` / `{{secret_id:<uuid>}}` with the secret's value for `env`. */
export function resolvePlaceholders(state: EmulatorState, input: string, env: string): string {
  return input.replace(PLACEHOLDER, (_m, kind: string, ref: string) => {
    const secret = kind === 'secret_id' ? state.secrets.get(ref) : state.findSecretByName(ref);
    if (!secret) throw new ApiError(500, 'secret_not_found', `Route injection references a secret that does not exist (${kind}:${ref})`);
    const value = secret.values.get(env) ?? secret.values.get(secret.base_environment);
    if (!value) throw new ApiError(500, 'secret_not_found', `Secret ${secret.name} has no value for environment ${env}`);
    return value.value;
  });
}

function resolveDeep(state: EmulatorState, value: unknown, env: string): unknown {
  if (typeof value === 'string') return resolvePlaceholders(state, value, env);
  if (Array.isArray(value)) return value.map((v) => resolveDeep(state, v, env));
  if (value !== null && typeof value === 'object') {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolveDeep(state, v, env);
    return out;
  }
  return value;
}

interface EffectiveConfig {
  env: string;
  targetBaseUrl: string;
  injectHeaders: JsonObject;
  injectBody: JsonObject;
  /** The config row whose policy (methods, IP allow-list, rate limit) applies. */
  policy: RouteEnvConfigRow | undefined;
}

function effectiveConfig(state: EmulatorState, route: RouteRow, requestedEnv: string | undefined): EffectiveConfig {
  const env = requestedEnv && requestedEnv !== '' ? requestedEnv : route.base_environment;
  const base = route.configs.get(route.base_environment);
  if (env !== route.base_environment && !state.environmentByName(env) && !route.configs.has(env)) {
    throw new ApiError(404, 'environment_not_configured', `Environment "${env}" is not configured for route ${route.slug ?? route.name}`);
  }
  const override: RouteEnvConfigRow | undefined = env === route.base_environment ? undefined : route.configs.get(env);
  const cfg = override ?? base;
  if (cfg && !cfg.enabled) throw new ApiError(404, 'environment_disabled', `Environment "${env}" is disabled for route ${route.slug ?? route.name}`);
  const target = override?.target_base_url ?? base?.target_base_url;
  if (!target) throw new ApiError(404, 'environment_not_configured', `Route ${route.slug ?? route.name} has no upstream for environment "${env}"`);
  return {
    env,
    targetBaseUrl: target,
    injectHeaders: { ...(base?.inject_headers_json ?? {}), ...(override?.inject_headers_json ?? {}) },
    injectBody: { ...(base?.inject_body_json ?? {}), ...(override?.inject_body_json ?? {}) },
    policy: cfg,
  };
}

/**
 * The route policies the gateway enforces before calling the upstream: allowed methods (405),
 * IP allow-list (403) and the per-environment rate limit (429 + Retry-After, by the `now` clock).
 */
function enforcePolicy(core: EmulatorCore, route: RouteRow, cfg: EffectiveConfig, method: string, ip: string | undefined): void {
  const p = cfg.policy;
  if (!p) return;
  if (p.allowed_methods && p.allowed_methods.length > 0 && !p.allowed_methods.includes(method)) {
    throw new ApiError(405, 'method_not_allowed', `Route ${route.slug ?? route.name} does not allow ${method} in ${cfg.env}`);
  }
  if (p.ip_allowlist.length > 0 && ip) {
    const allow = new BlockList();
    for (const entry of p.ip_allowlist) {
      const [addr = '', bits] = entry.split('/');
      const family = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
      if (isIP(addr) === 0) continue;
      if (bits === undefined) allow.addAddress(addr, family);
      else allow.addSubnet(addr, Number(bits), family);
    }
    const caller = ip.replace(/^::ffff:/, '');
    if (!allow.check(caller, isIP(caller) === 6 ? 'ipv6' : 'ipv4'))
      throw new ApiError(403, 'ip_not_allowed', `Caller IP ${caller} is not in the route's IP allow-list`);
  }
  if (p.rate_limit_enabled && p.rate_limit_requests && p.rate_limit_window_sec) {
    const hits = core.state.store('dataplane.hits', () => new Map<string, number[]>());
    const key = `${route.id}:${cfg.env}`;
    const now = core.now();
    const windowMs = p.rate_limit_window_sec * 1000;
    const recent = (hits.get(key) ?? []).filter((t) => t > now - windowMs);
    if (recent.length >= p.rate_limit_requests) {
      hits.set(key, recent);
      throw ApiError.rateLimited(Math.max(1, Math.ceil((recent[0]! + windowMs - now) / 1000)), `Route ${route.slug ?? route.name} is rate limited`);
    }
    recent.push(now);
    hits.set(key, recent);
  }
}

/** The gateway's own response headers (request id, nonce, markers) are never taken from the upstream. */
export function withoutGatewayHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (k === 'x-request-id' || k === 'dpop-nonce' || k.startsWith('x-knox-')) continue;
    out[k] = v;
  }
  return out;
}

function joinUrl(base: string, path: string, query: string): URL {
  const u = new URL(base);
  const basePath = u.pathname.replace(/\/+$/, '');
  u.pathname = `${basePath}${path.startsWith('/') ? path : `/${path}`}`;
  u.search = query;
  return u;
}

export async function handleRouteProxy(
  core: EmulatorCore,
  req: IncomingMessage,
  rawPath: string,
  rawQuery: string,
  body: Buffer,
  requestId: string,
): Promise<Reply> {
  const method = (req.method ?? 'GET').toUpperCase();
  const started = Date.now();
  // Credential first: an unauthenticated caller learns nothing about which routes exist.
  authenticate(core, { req, method, path: rawPath, plane: 'data' });
  const ref = header(req, 'x-knoxcall-route') ?? '';
  const state = core.state;
  const route = state.findRoute(ref);
  if (!route) throw new ApiError(404, 'route_not_found', `Route "${ref}" does not exist`);
  if (!route.enabled) throw new ApiError(403, 'route_disabled', `Route ${route.slug ?? route.name} is disabled`);
  const cfg = effectiveConfig(state, route, header(req, 'x-knoxcall-environment'));
  enforcePolicy(core, route, cfg, method, req.socket.remoteAddress);

  let upstreamPath = rawPath;
  if (isTenantShapedHost(req.headers.host)) {
    if (upstreamPath === '/api' || upstreamPath.startsWith('/api/')) upstreamPath = upstreamPath.slice(4) || '/';
    else throw new ApiError(404, 'not_found', 'Tenant hosts serve the data plane under /api');
  }

  const headers = forwardableRequestHeaders(req.headers, (k) => k === 'authorization' || k === 'dpop' || k.startsWith('x-knoxcall-'));
  for (const [k, v] of Object.entries(cfg.injectHeaders)) {
    headers[k.toLowerCase()] = resolvePlaceholders(state, String(v), cfg.env);
  }
  const outBody = buildBody(state, req, body, cfg);
  const url = joinUrl(cfg.targetBaseUrl, upstreamPath, rawQuery);
  const logRow = {
    id: newId(),
    request_id: requestId,
    ts: state.nowIso(),
    src_ip: req.socket.remoteAddress ?? null,
    method,
    path: rawPath,
    status_code: null as number | null,
    latency_ms: null as number | null,
    upstream_host: url.host,
    error: null as string | null,
    environment: cfg.env,
    rate_limited: false,
    signature_valid: null,
    source_ip_country: null,
    source_ip_city: null,
  };
  route.logs.push(logRow);
  const report = (status: number | null, timedOut: boolean) =>
    emitRequestEvents(
      state,
      {
        routeId: route.id,
        routeName: route.name,
        routeSlug: route.slug,
        environment: cfg.env,
        method,
        path: rawPath,
        ip: logRow.src_ip,
        status,
        latencyMs: Date.now() - started,
        timedOut,
      },
      (p) => core.trackDelivery(p),
    );
  try {
    const answer = await forward(url, method, headers, outBody, UPSTREAM_TIMEOUT_MS);
    logRow.status_code = answer.status;
    logRow.latency_ms = Date.now() - started;
    report(answer.status, false);
    return { status: answer.status, headers: { ...withoutGatewayHeaders(answer.headers), 'x-knox-upstream-status': String(answer.status) }, raw: answer.body };
  } catch (e) {
    logRow.error = e instanceof Error ? e.message : String(e);
    logRow.status_code = 502;
    report(null, /did not answer within/.test(logRow.error));
    throw new ApiError(502, 'upstream_unreachable', `Upstream ${url.host} could not be reached: ${logRow.error}`);
  }
}

function buildBody(state: EmulatorState, req: IncomingMessage, body: Buffer, cfg: EffectiveConfig): Buffer | undefined {
  const hasInject = Object.keys(cfg.injectBody).length > 0;
  const ct = header(req, 'content-type');
  if (body.length === 0) {
    if (!hasInject) return undefined;
    return Buffer.from(JSON.stringify(resolveDeep(state, cfg.injectBody, cfg.env)));
  }
  if (!isJsonContentType(ct)) return body;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return body; // not ours to judge: the upstream gets the caller's bytes
  }
  let out = resolveDeep(state, parsed, cfg.env);
  if (hasInject && out !== null && typeof out === 'object' && !Array.isArray(out)) {
    out = { ...(out as JsonObject), ...(resolveDeep(state, cfg.injectBody, cfg.env) as JsonObject) };
  }
  return Buffer.from(JSON.stringify(out));
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** `/v1/proxy` (transport.md §8.7). Only loopback upstreams, so tests never leave the machine. */
export async function handleEphemeralProxy(core: EmulatorCore, req: IncomingMessage, rawPath: string, body: Buffer): Promise<Reply> {
  const method = (req.method ?? 'GET').toUpperCase();
  authenticate(core, { req, method, path: rawPath, plane: 'management' });
  const target = header(req, 'x-knox-proxy-url');
  if (!target) throw ApiError.badRequest('X-Knox-Proxy-URL header is required', 'missing_proxy_url');
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw ApiError.badRequest('X-Knox-Proxy-URL is not a valid absolute URL', 'invalid_proxy_url');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !LOOPBACK_HOSTS.has(url.hostname)) {
    throw ApiError.badRequest('The emulator only proxies to http(s)://127.0.0.1 or localhost upstreams', 'destination_not_allowed');
  }
  if (header(req, 'x-knox-upstream-authorization') !== undefined && header(req, 'x-knox-upstream-auth-secret') !== undefined) {
    throw ApiError.badRequest('X-Knox-Upstream-Authorization and X-Knox-Upstream-Auth-Secret cannot be combined');
  }
  const headers = forwardableRequestHeaders(
    req.headers,
    (k) => k === 'authorization' || k === 'dpop' || k.startsWith('x-knox-') || k.startsWith('x-knoxcall-'),
  );
  const upstreamAuth = header(req, 'x-knox-upstream-authorization');
  if (upstreamAuth !== undefined) headers['authorization'] = upstreamAuth;
  const secretName = header(req, 'x-knox-upstream-auth-secret');
  if (secretName !== undefined) {
    const scheme = header(req, 'x-knox-upstream-auth-scheme');
    // An escrowed wrap credential (host-pinned) first, then a tenant secret of that name.
    const escrowed = escrowedAuthorization(core.state, secretName, scheme, url);
    if (escrowed !== undefined) headers['authorization'] = escrowed;
    else {
      const secret = core.state.findSecretByName(secretName);
      const value = secret?.values.get(secret.base_environment)?.value;
      if (!value) throw ApiError.notFound(`Secret "${secretName}"`);
      headers['authorization'] = (scheme ?? 'Bearer').toLowerCase() === 'none' ? value : `${scheme ?? 'Bearer'} ${value}`;
    }
  }
  let outBody = body.length ? body : undefined;
  if (outBody && header(req, 'x-knox-proxy-mode') !== 'transparent' && isJsonContentType(header(req, 'content-type'))) {
    outBody = resolveTokenTemplates(core, outBody);
  }
  const timeoutHeader = Number(header(req, 'x-knox-timeout-ms'));
  const timeout = Number.isFinite(timeoutHeader) && timeoutHeader > 0 ? timeoutHeader : UPSTREAM_TIMEOUT_MS;
  try {
    const answer = await forward(url, method, headers, outBody, timeout);
    // A route now covers this destination: hint the SDK to refresh its intercept manifest.
    const promoted = promotedRouteFor(core.state, url, core.state.defaultEnvironment()?.name ?? 'production');
    const hint: Record<string, string> = promoted !== undefined ? { 'x-knox-promoted-route': promoted } : {};
    return {
      status: answer.status,
      headers: { ...withoutGatewayHeaders(answer.headers), ...hint, 'x-knox-destination-status': String(answer.status) },
      raw: answer.body,
    };
  } catch (e) {
    throw new ApiError(502, 'upstream_unreachable', `Destination could not be reached: ${e instanceof Error ? e.message : String(e)}`);
  }
}

const TOKEN_TEMPLATE = /\{\{\s*token\s*:\s*"([^"]+)"\s*\}\}/g;

/**
 * Default (non-transparent) ephemeral mode: `{{ token: "<vault token>" }}` inside JSON string
 * values is replaced by the detokenized value, so the caller never handles the raw value.
 */
function resolveTokenTemplates(core: EmulatorCore, body: Buffer): Buffer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return body;
  }
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      return v.replace(TOKEN_TEMPLATE, (_m, token: string) => {
        const value = detokenizeAnywhere(core.state, token, core.now());
        if (value === undefined) throw new ApiError(400, 'unknown_token', 'A {{ token: "…" }} template names a vault token that does not exist or has expired');
        return value;
      });
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return Buffer.from(JSON.stringify(walk(parsed)));
}
