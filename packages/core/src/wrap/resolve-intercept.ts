import { matchRouteAround, pathHasPrefix, type RouteAroundRule } from './route-around.js';
import type { InterceptManifest, InterceptManifestRoute } from './types.js';

/** Why a request went where it went (reported to the wrap callbacks). */
export type InterceptReason =
  | 'kill_switch'
  | 'unparseable'
  | 'own_host'
  | 'route_around'
  | 'outside_context'
  | 'manifest'
  | 'no_route'
  | 'no_base_path_match'
  | 'unlisted';

export type InterceptDecision =
  | { action: 'direct'; reason: 'kill_switch' | 'unparseable' | 'own_host' | 'outside_context' | 'unlisted'; url: URL | undefined }
  | { action: 'direct'; reason: 'route_around'; url: URL; rule: RouteAroundRule }
  | { action: 'route'; reason: 'manifest'; url: URL; route: InterceptManifestRoute; path: string }
  | { action: 'ephemeral'; reason: 'no_route' | 'no_base_path_match'; url: URL };

export interface ResolveInterceptInput {
  /** `KNOXCALL_INTERCEPT` turned routing off. */
  killSwitch?: boolean;
  /** Hosts that are KnoxCall itself (lower-case); `*.knoxcall.com` always is. */
  ownHosts?: ReadonlySet<string>;
  routeAround?: readonly RouteAroundRule[];
  /** `false` = `requireContext` is set and the request is outside `routed()`. */
  inContext?: boolean;
  /** The current manifest; `undefined` when routes are off or none is known. */
  manifest?: InterceptManifest | undefined;
  /** Whether the caller listed the host (an omitted predicate lists every host). */
  isListed?: (host: string) => boolean;
}

/** Whether a manifest route covers `path`; `''`/`/` base paths cover everything. */
function coveredBy(route: InterceptManifestRoute, path: string): boolean {
  return pathHasPrefix(path, route.base_path);
}

/** Longest base path wins; ties go to the lowest slug. */
function bestRoute(routes: readonly InterceptManifestRoute[], host: string, path: string): { route?: InterceptManifestRoute; hostKnown: boolean } {
  let best: InterceptManifestRoute | undefined;
  let hostKnown = false;
  for (let i = 0; i < routes.length; i++) {
    const r = routes[i]!;
    if (r.host !== host) continue;
    hostKnown = true;
    if (!coveredBy(r, path)) continue;
    const len = normalisedBase(r.base_path).length;
    const bestLen = best === undefined ? -1 : normalisedBase(best.base_path).length;
    if (len > bestLen || (len === bestLen && best !== undefined && r.slug < best.slug)) best = r;
  }
  return best === undefined ? { hostKnown } : { route: best, hostKnown };
}

function normalisedBase(base: string): string {
  return base === '/' ? '' : base.replace(/\/+$/, '');
}

/**
 * The upstream path a route receives: `path` with the route's base path removed (the route's
 * own target already ends in it), always starting with `/`, plus the query.
 */
export function rebaseInterceptPath(basePath: string, path: string, search = ''): string {
  const base = normalisedBase(basePath);
  const rest = base === '' ? path : path.slice(base.length);
  return (rest === '' ? '/' : rest) + search;
}

function isKnoxcallHost(hostname: string): boolean {
  return hostname === 'knoxcall.com' || hostname.endsWith('.knoxcall.com');
}

/**
 * The per-request routing decision, in order: kill switch, unparseable URL, KnoxCall's own
 * hosts, route-around rules, `requireContext`, a manifest route, a listed host (ephemeral),
 * otherwise direct. Pure and synchronous: no I/O, no allocation beyond the URL and the result.
 */
export function resolveIntercept(input: string | URL, options: ResolveInterceptInput = {}): InterceptDecision {
  if (options.killSwitch === true) return { action: 'direct', reason: 'kill_switch', url: undefined };
  if (typeof input === 'string' && options.isListed !== undefined && options.inContext !== false && isUnknownHost(input, options)) {
    return { action: 'direct', reason: 'unlisted', url: undefined };
  }
  let url: URL;
  try {
    url = typeof input === 'string' ? new URL(input) : input;
  } catch {
    return { action: 'direct', reason: 'unparseable', url: undefined };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { action: 'direct', reason: 'unparseable', url };
  const hostname = url.hostname;
  const host = url.host;
  if (isKnoxcallHost(hostname) || options.ownHosts?.has(host) === true) return { action: 'direct', reason: 'own_host', url };
  const path = url.pathname;
  if (options.routeAround !== undefined) {
    const rule = matchRouteAround(options.routeAround, host, path);
    if (rule !== undefined) return { action: 'direct', reason: 'route_around', url, rule };
  }
  if (options.inContext === false) return { action: 'direct', reason: 'outside_context', url };
  let hostKnown = false;
  if (options.manifest !== undefined) {
    const found = bestRoute(options.manifest.routes, host, path);
    if (found.route !== undefined) {
      return { action: 'route', reason: 'manifest', url, route: found.route, path: rebaseInterceptPath(found.route.base_path, path, url.search) };
    }
    hostKnown = found.hostKnown;
  }
  if (options.isListed === undefined || options.isListed(host)) {
    return { action: 'ephemeral', reason: hostKnown ? 'no_base_path_match' : 'no_route', url };
  }
  return { action: 'direct', reason: 'unlisted', url };
}

// A plain lower-case host, optionally with a non-default port: what most SDK URLs look like.
const SIMPLE_HOST = /^https?:\/\/([a-z0-9.-]+(?::[1-9][0-9]{0,4})?)(?=[/?#]|$)/;

const manifestHosts = new WeakMap<InterceptManifest, ReadonlySet<string>>();

function hostsOf(manifest: InterceptManifest): ReadonlySet<string> {
  let hosts = manifestHosts.get(manifest);
  if (hosts === undefined) {
    hosts = new Set(manifest.routes.map((r) => r.host));
    manifestHosts.set(manifest, hosts);
  }
  return hosts;
}

/**
 * The fast path for traffic nobody asked about (intercept() sees every request of the
 * process): when the URL's host is plainly written and no rule, route or list names it, the
 * answer is "unlisted" without parsing the URL. Anything unusual (upper case, user info,
 * a default port written out, IPv6) takes the full path.
 */
function isUnknownHost(input: string, options: ResolveInterceptInput): boolean {
  const m = SIMPLE_HOST.exec(input);
  if (m === null) return false;
  const host = m[1]!;
  const colon = host.indexOf(':');
  const port = colon === -1 ? '' : host.slice(colon + 1);
  if ((port === '80' && input.startsWith('http:')) || (port === '443' && input.startsWith('https:'))) return false;
  const hostname = colon === -1 ? host : host.slice(0, colon);
  if (isKnoxcallHost(hostname) || options.ownHosts?.has(host) === true) return false;
  const rules = options.routeAround;
  if (rules !== undefined) for (let i = 0; i < rules.length; i++) if (rules[i]!.host === host) return false;
  if (options.manifest !== undefined && hostsOf(options.manifest).has(host)) return false;
  return !options.isListed!(host);
}
