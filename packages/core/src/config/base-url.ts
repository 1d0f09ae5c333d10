import { BootstrapError } from '../errors.js';

export const DEFAULT_BASE_URL = 'https://api.knoxcall.com';
export const SANDBOX_BASE_URL = 'https://sandbox.knoxcall.com';

const PLAIN_HOSTS = new Set(['api.knoxcall.com', 'api-staging.knoxcall.com']);
const SANDBOX_HOSTS = new Set(['sandbox.knoxcall.com', 'sandbox-staging.knoxcall.com']);

/** How the data-plane host is derived from the management base (contract transport §2.2). */
export type ProxyShape = 'plain' | 'sandbox' | 'self-hosted';

/**
 * Exact, case-insensitive hostname match against the four known cloud API hosts; a
 * substring test would treat `api.knoxcall.com.evil.test` as a cloud host.
 */
export function proxyShapeOf(baseUrl: string): ProxyShape {
  let host: string;
  try {
    host = new URL(baseUrl).hostname.toLowerCase();
  } catch {
    return 'self-hosted';
  }
  if (PLAIN_HOSTS.has(host)) return 'plain';
  if (SANDBOX_HOSTS.has(host)) return 'sandbox';
  return 'self-hosted';
}

const TENANT_SLUG = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

export function isValidTenantSlug(tenant: string): boolean {
  return TENANT_SLUG.test(tenant);
}

/** Throws unless `tenant` may become part of a hostname (contract transport §2.4). */
export function assertTenantSlug(tenant: string, source: string): void {
  if (!isValidTenantSlug(tenant)) {
    throw new BootstrapError(
      `invalid tenant slug ${JSON.stringify(tenant)} (from ${source}): refusing to derive a data-plane host from it. ` +
        'A tenant slug is 1–63 letters, digits or inner hyphens; pass the right `tenant` option or set KNOXCALL_TENANT, or set `proxyBaseUrl`',
    );
  }
}

/** `https://{tenant}.knoxcall.com` or `https://sandbox-{tenant}.knoxcall.com`; the tenant must be valid. */
export function cloudProxyBase(shape: 'plain' | 'sandbox', tenant: string): string {
  return shape === 'plain' ? `https://${tenant}.knoxcall.com` : `https://sandbox-${tenant}.knoxcall.com`;
}

/**
 * Validates a configured base URL (absolute http(s) URL) and strips trailing slashes.
 * `name` says where it came from, so the error names the option or variable to fix.
 */
export function normalizeBaseUrl(value: string, name: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new BootstrapError(`${name} is not a valid URL (${JSON.stringify(value)}); pass an absolute URL such as https://api.knoxcall.com`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new BootstrapError(`${name} must be an http(s) URL, got ${JSON.stringify(parsed.protocol)} in ${JSON.stringify(value)}`);
  }
  if (parsed.search !== '' || parsed.hash !== '') {
    throw new BootstrapError(`${name} must not carry a query string or fragment (${JSON.stringify(value)})`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new BootstrapError(`${name} must not embed credentials; pass them as options instead`);
  }
  return value.replace(/\/+$/, '');
}
