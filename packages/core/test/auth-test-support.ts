/** Shared pieces for the auth tests: a Platform with a private environment, and configs. */
import type { AuthOptions } from '../src/auth/auth-options.js';
import type { AuthenticatorConfig, ClientIdentityState } from '../src/auth/authenticator.js';
import type { NodeAuthSupport } from '../src/auth/node-auth.js';
import { credentialIdentity, tokenCacheKey } from '../src/auth/cache-key.js';
import { explicitBootstrap } from '../src/auth/credential-options.js';
import type { Platform } from '../src/auth/platform.js';

export interface TestPlatform extends Platform {
  warnings: Array<{ code: string; message: string }>;
}

export function testPlatform(env: Record<string, string | undefined> = {}, nodeAuth?: NodeAuthSupport): TestPlatform {
  const warnings: Array<{ code: string; message: string }> = [];
  const seen = new Set<string>();
  return {
    runtime: nodeAuth ? 'node' : 'web',
    // A private environment still "is not on GCP": the metadata probe goes to the closed
    // loopback port the test setup chose, unless the test serves GCP metadata itself.
    getEnv: (name) => (name === 'GCE_METADATA_HOST' && !(name in env) ? process.env.GCE_METADATA_HOST : env[name]),
    warnOnce(code, message) {
      if (seen.has(code)) return;
      seen.add(code);
      warnings.push({ code, message });
    },
    nodeAuth,
    warnings,
  };
}

export function authConfig(
  options: AuthOptions,
  extra: Partial<Omit<AuthenticatorConfig, 'options'>> & { baseUrl?: string; tenant?: string } = {},
): AuthenticatorConfig & { state: ClientIdentityState } {
  const { baseUrl, tenant, ...rest } = extra;
  return {
    options,
    state: { tenant, baseUrl: baseUrl ?? 'http://127.0.0.1:9' },
    baseUrlExplicit: baseUrl !== undefined,
    tenantExplicit: tenant !== undefined,
    sandbox: false,
    fetch: globalThis.fetch,
    userAgent: 'knoxcall-node/test',
    timeoutMs: 5_000,
    platform: testPlatform(),
    ...rest,
  };
}

/**
 * The token-cache key a client with these explicit credential options writes (built by
 * the same functions as the authenticator's; the layout itself is pinned in auth-cache-key.test.ts).
 */
export function tokenKeyOf(options: AuthOptions, tenant?: string, scopes: string[] = []): string {
  const bootstrap = explicitBootstrap(options);
  if (bootstrap === undefined) throw new Error('tokenKeyOf needs explicit credentials');
  return tokenCacheKey({ tenant, identity: credentialIdentity(bootstrap), scopes });
}
