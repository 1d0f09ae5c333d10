/** A destination that must never go through KnoxCall (e.g. card data under PCI scope). */
export interface RouteAroundRule {
  /** Exact host, lower-case (a port is part of the host when present). */
  host: string;
  /** Whole-segment path prefix; the rule covers the whole host when absent. */
  pathPrefix?: string;
  reason: string;
}

/**
 * Stripe tokenisation and sources go straight to Stripe: card numbers must not pass through
 * another party. Applied unless `disableDefaultRouteAround` is set.
 */
export const DEFAULT_ROUTE_AROUND: readonly RouteAroundRule[] = Object.freeze([
  Object.freeze({ host: 'api.stripe.com', pathPrefix: '/v1/tokens', reason: 'pci_card_data' }),
  Object.freeze({ host: 'api.stripe.com', pathPrefix: '/v1/sources', reason: 'pci_card_data' }),
]);

/** True when `path` equals `prefix` or continues it at a segment boundary (`/v1/tokens` covers `/v1/tokens/tok_1`, not `/v1/tokensx`). */
export function pathHasPrefix(path: string, prefix: string): boolean {
  const p = prefix.length > 1 && prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  if (p === '' || p === '/') return true;
  return path === p || (path.startsWith(p) && path.charCodeAt(p.length) === 47) /* / */;
}

export function matchRouteAround(rules: readonly RouteAroundRule[], host: string, path: string): RouteAroundRule | undefined {
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    if (rule.host === host && (rule.pathPrefix === undefined || pathHasPrefix(path, rule.pathPrefix))) return rule;
  }
  return undefined;
}
