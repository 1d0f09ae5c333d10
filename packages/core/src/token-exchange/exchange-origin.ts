/**
 * Where `exchangeToken` sends its request (contract auth §8.2): an explicit `baseUrl`, or
 * the tenant's data-plane host. Everything here runs BEFORE any request, so bad input
 * never reaches the network — a hostile tenant slug cannot redirect the subject token.
 */
import { BootstrapError } from '../errors.js';

/** Contract transport §0 / §2.4 (matched case-insensitively). */
const TENANT_SLUG = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

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
  if (typeof tenant !== 'string' || !TENANT_SLUG.test(tenant)) {
    throw new BootstrapError(
      `invalid tenant slug ${JSON.stringify(String(tenant))}: refusing to derive a data-plane host from it. A slug is 1–63 letters, digits or inner hyphens (e.g. "acme").`,
      { code: 'invalid_tenant' },
    );
  }
  return options.sandbox === true ? `https://sandbox-${tenant}.knoxcall.com` : `https://${tenant}.knoxcall.com`;
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

/**
 * "Insecure remote" per contract transport §10: `http://` and a hostname that is not
 * loopback (`localhost`, `*.localhost`, `0.0.0.0`, `::1`, `127.*`). Private addresses warn.
 */
export function isPlaintextRemote(origin: string): boolean {
  if (!/^http:\/\//i.test(origin)) return false;
  let host: string;
  try {
    host = new URL(origin).hostname.toLowerCase();
  } catch {
    return true;
  }
  const loopback =
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '0.0.0.0' ||
    host === '::1' ||
    host === '[::1]' ||
    host.startsWith('127.');
  return !loopback;
}
