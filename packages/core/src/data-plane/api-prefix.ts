// Labels under knoxcall.com that are KnoxCall's own hosts, not tenants (contract transport §0).
const NON_TENANT_LABELS = new Set(['api', 'sandbox', 'api-staging', 'sandbox-staging', 'www', 'staging', 'admin']);
const TENANT_HOST = /^([^.]+)\.knoxcall\.com$/;

/**
 * The data-plane entry-point prefix for a proxy base (contract transport §8.2): `/api`
 * iff the base parses, has no path of its own, and its host is exactly one non-reserved
 * label under knoxcall.com (a tenant host); otherwise ''. Scheme and port are irrelevant;
 * there is no de-duplication of an upstream path that itself starts with /api.
 */
export function apiPrefix(proxyBase: string): string {
  // A client has one proxy base; parsing it with new URL() on every call cost ~17 µs.
  if (proxyBase === lastBase) return lastPrefix;
  const prefix = computeApiPrefix(proxyBase);
  lastBase = proxyBase;
  lastPrefix = prefix;
  return prefix;
}

let lastBase: string | undefined;
let lastPrefix = '';

function computeApiPrefix(proxyBase: string): string {
  let url: URL;
  try {
    url = new URL(proxyBase);
  } catch {
    return '';
  }
  if (url.pathname !== '' && url.pathname !== '/') return '';
  const match = TENANT_HOST.exec(url.hostname.toLowerCase());
  if (!match || NON_TENANT_LABELS.has(match[1] as string)) return '';
  return '/api';
}
