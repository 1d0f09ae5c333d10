/**
 * The JSON record of a cached token shared by the Redis and file stores (contract auth
 * §6.3/§6.4): camelCase members, plain-string tokens, times in epoch milliseconds,
 * optional members omitted when unset. Reading is forgiving: anything malformed is a miss.
 */
import { Redacted } from '../redacted.js';
import type { CachedToken } from './token-store.js';

export interface StoredTokenRecord {
  accessToken: string;
  expiresAt: number;
  scope: string[];
  tokenType: 'Bearer' | 'DPoP';
  lifetime?: number;
  tenant?: string;
  refreshToken?: string;
  cnfJkt?: string;
}

export function encodeStoredToken(token: CachedToken): StoredTokenRecord {
  const record: StoredTokenRecord = {
    accessToken: token.accessToken.expose(),
    expiresAt: token.expiresAt,
    scope: [...token.scope],
    tokenType: token.tokenType,
  };
  if (token.lifetime) record.lifetime = token.lifetime;
  if (token.tenant) record.tenant = token.tenant;
  if (token.refreshToken) record.refreshToken = token.refreshToken.expose();
  if (token.cnfJkt) record.cnfJkt = token.cnfJkt;
  return record;
}

export function decodeStoredRecord(value: unknown): CachedToken | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const r = value as Record<string, unknown>;
  if (typeof r.accessToken !== 'string' || r.accessToken === '') return null;
  if (typeof r.expiresAt !== 'number' || !Number.isFinite(r.expiresAt)) return null;
  const scope = r.scope ?? [];
  if (!Array.isArray(scope) || scope.some((s) => typeof s !== 'string')) return null;
  const optionalString = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return {
    accessToken: new Redacted(r.accessToken),
    refreshToken: optionalString(r.refreshToken) === undefined ? undefined : new Redacted(r.refreshToken as string),
    expiresAt: r.expiresAt,
    lifetime: typeof r.lifetime === 'number' && r.lifetime ? r.lifetime : undefined,
    scope: scope as string[],
    tokenType: r.tokenType === 'DPoP' ? 'DPoP' : 'Bearer',
    cnfJkt: optionalString(r.cnfJkt),
    tenant: optionalString(r.tenant),
  };
}

/** Decodes a JSON text; a missing, corrupt or ill-shaped value reads as a miss. */
export function decodeStoredToken(text: string | null): CachedToken | null {
  if (text === null) return null;
  try {
    return decodeStoredRecord(JSON.parse(text));
  } catch {
    return null;
  }
}
