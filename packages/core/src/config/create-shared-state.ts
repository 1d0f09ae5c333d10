import type { Authenticator, AuthenticatorConfig } from '../auth/authenticator.js';
import { KnoxCallError } from '../errors.js';
import type { Platform } from '../auth/platform.js';
import type { VerifyWebhookSignatureParams } from '../webhooks/signature-check.js';
import {
  INSECURE_BASE_URL_CODE,
  INSECURE_PROXY_URL_CODE,
  insecureBaseUrlMessage,
  insecureProxyUrlMessage,
  isInsecureRemoteUrl,
} from '../transport/insecure-url.js';
import { assertTenantSlug, cloudProxyBase, DEFAULT_BASE_URL, normalizeBaseUrl, proxyShapeOf, SANDBOX_BASE_URL } from './base-url.js';
import type { ClientCore, ClientState } from './shared-state.js';
import { ClientLifetime } from './client-lifetime.js';
import { API_VERSION, DEFAULT_USER_AGENT, type KnoxCallOptions, nonEmpty, type ResolvedConfig, resolveRetry, resolveTimeoutMs } from './options.js';

/** `client.verifySignature()` input: the same as `verifyWebhookSignature`'s (contract webhooks §6). */
export type VerifySignatureParams = VerifyWebhookSignatureParams;

/** What differs per entry point: the platform and the auth implementation behind the seam. */
export interface ClientRuntime {
  readonly platform: Platform;
  createAuthenticator(config: AuthenticatorConfig): Authenticator;
  /** The synchronous webhook verifier (Node: node:crypto; Web: throws "use the async verifier"). */
  readonly verifyWebhookSignature?: ((params: VerifySignatureParams) => boolean) | undefined;
  /** Passed to the resources for `client.webhooks.constructEvent`. */
  readonly constructWebhookEvent?: ((...args: never[]) => unknown) | undefined;
}

/** Test seams that public constructors do not expose. */
export interface ClientInternals {
  /** Use this authenticator instead of building one from the options. */
  authenticator?: Authenticator | undefined;
  /** Randomness for backoff jitter. */
  random?: (() => number) | undefined;
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new KnoxCallError(`${name} must be a string, got ${typeof value}`);
  return value;
}

/**
 * Resolves options and environment fallbacks (contract transport §1.2, §2) into the state a
 * client and its views share. Validates everything that can be validated without I/O, so
 * bad configuration fails at construction with an error naming the option to fix.
 */
export function createCore(options: KnoxCallOptions | undefined, runtime: ClientRuntime, internals: ClientInternals = {}): ClientCore {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new KnoxCallError('KnoxCall options must be an object');
  }
  const opts: KnoxCallOptions = options ?? {};
  const { platform } = runtime;
  const env = (name: string) => nonEmpty(platform.getEnv(name));

  const sandbox = opts.sandbox === true;
  // An option wins over its environment variable; each is checked and normalised under its own name.
  const urlSetting = (value: unknown, option: string, envName: string): string | undefined => {
    const given = optionalString(value, option);
    if (given !== undefined) return normalizeBaseUrl(given, `the ${option} option`);
    const fromEnv = env(envName);
    return fromEnv === undefined ? undefined : normalizeBaseUrl(fromEnv, envName);
  };
  const explicitBaseUrl = urlSetting(opts.baseUrl, 'baseUrl', 'KNOXCALL_BASE_URL');
  const baseUrl = explicitBaseUrl ?? (sandbox ? SANDBOX_BASE_URL : DEFAULT_BASE_URL);
  const proxyBaseUrl = urlSetting(opts.proxyBaseUrl, 'proxyBaseUrl', 'KNOXCALL_PROXY_BASE_URL');

  const tenantOption = optionalString(opts.tenant, 'tenant');
  const tenant = tenantOption ?? env('KNOXCALL_TENANT');

  if (opts.fetchImpl !== undefined && typeof opts.fetchImpl !== 'function') {
    throw new KnoxCallError('fetchImpl must be a fetch-compatible function');
  }
  if (opts.jsonReplacer !== undefined && typeof opts.jsonReplacer !== 'function') {
    throw new KnoxCallError('jsonReplacer must be a function (key, value) => unknown');
  }
  if (opts.scope !== undefined && !(Array.isArray(opts.scope) && opts.scope.every((s) => typeof s === 'string'))) {
    throw new KnoxCallError('scope must be an array of strings');
  }

  const config: ResolvedConfig = {
    environment: nonEmpty(optionalString(opts.environment, 'environment')) ?? env('KNOXCALL_ENVIRONMENT'),
    sandbox,
    retry: resolveRetry(opts.retry),
    timeoutMs: resolveTimeoutMs(opts.timeout),
    apiVersion: nonEmpty(optionalString(opts.apiVersion, 'apiVersion')) ?? API_VERSION,
    userAgent: nonEmpty(optionalString(opts.userAgent, 'userAgent')) ?? DEFAULT_USER_AGENT,
    fetchImpl: opts.fetchImpl,
    telemetry: opts.telemetry ?? undefined,
    telemetryHeader: opts.telemetryHeader !== false,
    jsonReplacer: opts.jsonReplacer,
    scope: Object.freeze([...(opts.scope ?? [])]),
  };
  const state: ClientState = { tenant, baseUrl, proxyBaseUrl };

  // Resolved per request, so a fetch patched after construction (test tools) is honoured.
  const fetchForAuth: typeof fetch = (input, init) => (config.fetchImpl ?? globalThis.fetch)(input, init);
  const authenticator =
    internals.authenticator ??
    runtime.createAuthenticator({
      options: opts,
      state,
      baseUrlExplicit: explicitBaseUrl !== undefined,
      tenantExplicit: tenant !== undefined,
      sandbox,
      fetch: fetchForAuth,
      userAgent: config.userAgent,
      timeoutMs: config.timeoutMs,
      platform,
    });

  // After the authenticator ran: a credentials file may have seeded tenant and baseUrl.
  if (state.proxyBaseUrl === undefined) {
    const shape = proxyShapeOf(state.baseUrl);
    if (shape === 'self-hosted') {
      state.proxyBaseUrl = state.baseUrl;
    } else if (state.tenant !== undefined) {
      assertTenantSlug(state.tenant, tenantOption !== undefined ? 'the tenant option' : 'KNOXCALL_TENANT or the credentials file');
      state.proxyBaseUrl = cloudProxyBase(shape, state.tenant);
    }
  }

  if (isInsecureRemoteUrl(state.baseUrl)) {
    platform.warnOnce(INSECURE_BASE_URL_CODE, insecureBaseUrlMessage(state.baseUrl));
  }
  if (isInsecureRemoteUrl(state.proxyBaseUrl)) {
    platform.warnOnce(INSECURE_PROXY_URL_CODE, insecureProxyUrlMessage(state.proxyBaseUrl as string));
  }

  return {
    config,
    state,
    authenticator,
    platform,
    runtime,
    lifetime: new ClientLifetime(),
    random: internals.random ?? Math.random,
    lastRequest: undefined,
    proxyDiscovery: undefined,
  };
}
