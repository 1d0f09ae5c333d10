import { KnoxCallError } from '../errors.js';
import type { InterceptManifest, InterceptManifestRoute } from './types.js';

const DEFAULT_TTL_SECONDS = 60;

function malformed(what: string): KnoxCallError {
  return new KnoxCallError(`The intercept manifest the server sent is malformed (${what}); the last good manifest stays in use`, {
    code: 'malformed_intercept_manifest',
  });
}

/**
 * Checks the members routing decides by and returns a normalised copy (hosts lower-case,
 * a missing TTL → 60 s). Anything else is passed through. Throws on a manifest that could
 * route a request to the wrong place.
 */
export function validateManifest(value: unknown): InterceptManifest {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw malformed('not an object');
  const m = value as Record<string, unknown>;
  if (typeof m['version'] !== 'string' || m['version'] === '') throw malformed('no version');
  if (!Array.isArray(m['routes'])) throw malformed('routes is not an array');
  const routes: InterceptManifestRoute[] = [];
  for (const raw of m['routes'] as unknown[]) {
    const r = raw as Record<string, unknown>;
    if (typeof r !== 'object' || r === null || typeof r['host'] !== 'string' || typeof r['slug'] !== 'string' || r['slug'] === '') {
      throw malformed('a route without host or slug');
    }
    const basePath = typeof r['base_path'] === 'string' && r['base_path'] !== '' ? r['base_path'] : '/';
    if (!basePath.startsWith('/')) throw malformed(`base_path ${JSON.stringify(basePath)} does not start with /`);
    routes.push({ ...(r as unknown as InterceptManifestRoute), host: r['host'].toLowerCase(), base_path: basePath });
  }
  const ttl = typeof m['ttl_seconds'] === 'number' && m['ttl_seconds'] > 0 ? m['ttl_seconds'] : DEFAULT_TTL_SECONDS;
  return { ...(m as unknown as InterceptManifest), ttl_seconds: ttl, routes };
}

/** What a store behaves as when the server has no manifest for this credential (401/403/404). */
export function emptyManifest(ttlSeconds = DEFAULT_TTL_SECONDS): InterceptManifest {
  return { version: '', ttl_seconds: ttlSeconds, environment: '', sandbox: false, routes: [] };
}

export { DEFAULT_TTL_SECONDS };
