import { assertTenantSlug, cloudProxyBase, proxyShapeOf } from '../config/base-url.js';
import type { ClientCore } from '../config/shared-state.js';
import { BootstrapError } from '../errors.js';
import { raceAbort } from '../transport/abort.js';
import { managementRequest } from '../management-plane/management-request.js';
import { abortError } from '../transport/transport-failure.js';

const NO_DEFAULTS = { headers: undefined, environment: undefined, timeoutMs: undefined, signal: undefined };

/**
 * The data-plane base, resolving it on first use (contract transport §2.2–§2.4): explicit
 * or already derived → returned; self-hosted → the management base; cloud host → needs a
 * tenant: from the state, else from a token response (the authenticator adopts it), else
 * one `GET /v1/account` (`data.slug`). Single-flight across concurrent first calls; a
 * failed discovery is forgotten so the next call tries again.
 */
export function resolveProxyBase(core: ClientCore, caller: AbortSignal | undefined): Promise<string> | string {
  const known = core.state.proxyBaseUrl;
  if (known !== undefined) return known;
  if (!core.proxyDiscovery) {
    const discovery = discover(core);
    core.proxyDiscovery = discovery;
    discovery.catch(() => {
      if (core.proxyDiscovery === discovery) core.proxyDiscovery = undefined;
    });
  }
  const closed = core.lifetime;
  // One caller giving up must not cancel the shared discovery others wait on.
  return raceAbort(core.proxyDiscovery, caller, () => abortError({ caller, closed }));
}

async function discover(core: ClientCore): Promise<string> {
  const { state } = core;
  // Credential first: auto-detecting the credentials file may seed baseUrl and tenant, and a
  // token response may carry the tenant.
  // A signal made for this discovery (in the request that started it), not one kept on the client.
  const closedSignal = core.lifetime.signal();
  try {
    await core.authenticator.getCredential(closedSignal.signal);
  } finally {
    closedSignal.release();
  }
  const shape = proxyShapeOf(state.baseUrl);
  if (shape === 'self-hosted') {
    state.proxyBaseUrl ??= state.baseUrl;
    return state.proxyBaseUrl;
  }
  let source = 'the token response';
  if (state.tenant === undefined) {
    source = 'GET /v1/account';
    const account = await managementRequest<unknown>(core, NO_DEFAULTS, {
      method: 'GET',
      path: '/v1/account',
      signal: undefined,
    });
    const slug = slugOf(account);
    if (slug === undefined) {
      throw new BootstrapError(
        'cannot determine the tenant for data-plane calls: GET /v1/account returned no slug. Pass the `tenant` option or set KNOXCALL_TENANT (or set proxyBaseUrl)',
      );
    }
    assertTenantSlug(slug, source);
    if (state.tenant === undefined) state.tenant = slug;
  } else {
    source = 'the configured or discovered tenant';
  }
  const tenant = state.tenant as string;
  assertTenantSlug(tenant, source);
  // Re-check: another path may have set it meanwhile; never overwrite an explicit one.
  if (state.proxyBaseUrl === undefined) state.proxyBaseUrl = cloudProxyBase(shape, tenant);
  return state.proxyBaseUrl;
}

function slugOf(account: unknown): string | undefined {
  const data = typeof account === 'object' && account !== null ? (account as { data?: unknown }).data : undefined;
  const slug = typeof data === 'object' && data !== null ? (data as { slug?: unknown }).slug : undefined;
  return typeof slug === 'string' && slug !== '' ? slug : undefined;
}
