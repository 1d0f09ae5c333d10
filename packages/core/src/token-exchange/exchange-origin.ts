/**
 * Where `exchangeToken` sends its request (contract auth §8.2): an explicit `baseUrl`, or
 * the tenant's data-plane host. Everything here runs BEFORE any request, so bad input
 * never reaches the network — a hostile tenant slug cannot redirect the subject token.
 * Slug rule and host shapes are the client's own (config/base-url.ts), so both agree.
 */
import { cloudProxyBase, isValidTenantSlug } from '../config/base-url.js';
import { BootstrapError } from '../errors.js';

export interface ExchangeOriginOptions {
  tenant?: string | undefined;
  sandbox?: boolean | undefined;
  baseUrl?: string | undefined;
}

export function exchangeOrigin(options: ExchangeOriginOptions): string {
  if (options.baseUrl !== undefined) return explicitOrigin(options.baseUrl);
  const { tenant } = options;
  if (tenant === undefined) {
    throw new BootstrapError(
      'exchangeToken needs the tenant whose data-plane host mints the token: pass `tenant` (your tenant slug, e.g. "acme") or an explicit `baseUrl`. It cannot use api.knoxcall.com, which answers 401 to a token exchange.',
      { code: 'missing_tenant' },
    );
  }
  if (typeof tenant !== 'string' || !isValidTenantSlug(tenant)) {
    throw new BootstrapError(
      `invalid tenant slug ${JSON.stringify(String(tenant))}: refusing to derive a data-plane host from it. A slug is 1–63 letters, digits or inner hyphens (e.g. "acme").`,
      { code: 'invalid_tenant' },
    );
  }
  return cloudProxyBase(options.sandbox === true ? 'sandbox' : 'plain', tenant);
}

function explicitOrigin(baseUrl: string): string {
  const trimmed = typeof baseUrl === 'string' ? baseUrl.replace(/\/+$/, '') : '';
  let parsed: URL | undefined;
  try {
    parsed = new URL(trimmed);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    throw new BootstrapError(
      `exchangeToken: baseUrl must be an absolute http(s) URL such as "https://acme.knoxcall.com" (got ${JSON.stringify(String(baseUrl))}).`,
      { code: 'invalid_base_url' },
    );
  }
  return trimmed;
}
