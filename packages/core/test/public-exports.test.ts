import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type {
  BoundRouteDefaults,
  CachedToken,
  CallOptions,
  CursorMeta,
  CursorPage,
  CursorParams,
  Envelope,
  ExchangeTokenInput,
  ExchangeTokenOptions,
  ExchangeTokenResponse,
  KnoxCallOptions,
  Page,
  PageMeta,
  PageParams,
  RedisClient,
  RedisTokenStoreOptions,
  ResponseMeta,
  SignupClaimResponse,
  SignupInput,
  SignupResponse,
  TelemetryHooks,
  TelemetryRequestInfo,
  TelemetryResponseInfo,
  TelemetryRetryInfo,
  TokenStore,
} from '../src/types.js';

// Contract transport §1.5 is the official Node SDK's export list; a user switching from it
// imports these names from the package, so they are checked on the BUILT entries (what npm
// ships), not on the sources. Run `pnpm build` first.

const coreDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (file: string): string => {
  const path = join(coreDir, 'dist', file);
  if (!existsSync(path)) throw new Error(`packages/core/dist/${file} is missing: run pnpm build first`);
  return path;
};
const requireCjs = createRequire(import.meta.url);

/** §1.5 runtime values this project implements, on every build. */
const UNIVERSAL = [
  // Client
  'KnoxCall',
  'Session',
  'BoundRoute',
  // Errors (§5.2) + the deprecated alias + AI data-plane helpers
  'KnoxCallError',
  'APIConnectionError',
  'APIConnectionTimeoutError',
  'APIUserAbortError',
  'AuthenticationError',
  'PaymentRequiredError',
  'PermissionDeniedError',
  'PermissionError',
  'NotFoundError',
  'ConflictError',
  'ValidationError',
  'RateLimitError',
  'ServerError',
  'BootstrapError',
  'NotAuthenticatedError',
  'WebhookSignatureVerificationError',
  'AIGatewayError',
  'SignupError',
  'TokenExchangeError',
  'StaleAssertionError',
  'WrapSandboxMismatchError',
  'aiGatewayErrorFrom',
  'isAIGatewayErrorBody',
  // Token stores (FileTokenStore: Node build only, below)
  'MemoryTokenStore',
  'RedisTokenStore',
  // Bootstraps and their deprecated aliases
  'AccessToken',
  'ClientCredentials',
  'StoredCredentials',
  'AccessTokenBootstrap',
  'ClientCredentialsBootstrap',
  'OidcTokenExchange',
  'OidcTokenExchangeBootstrap',
  // Webhooks (+ this project's async twins). On the Web build the sync pair are stand-ins
  // that explain to use the async variants (no node:crypto there).
  'verifyWebhookSignature',
  'constructWebhookEvent',
  'verifyWebhookSignatureAsync',
  'constructWebhookEventAsync',
  // Signup
  'signup',
  'claimSignup',
  // Token exchange
  'exchangeToken',
  'WorkloadCredentialProvider',
  'ADVISORY_REFRESH_MS',
  'MANDATORY_REFRESH_MS',
  'TOKEN_EXCHANGE_GRANT',
  'ID_TOKEN_TYPE',
  'KNOXCALL_AUDIENCE',
  // Not in §1.5 — a deliberate addition so custom persistent token stores can rebuild a
  // CachedToken (the official SDK keeps Redacted internal).
  'Redacted',
  // Not in §1.5 — the KnoxCall-error → HTTP answer mapping every adapter wraps (ARCHITECTURE).
  'knoxErrorToResponse',
  // Wrap: routing utilities and egress observations
  'interceptKillSwitch',
  'manifestEtag',
  'DEFAULT_ROUTE_AROUND',
  'InterceptManifestStore',
  'resolveIntercept',
  'rebaseInterceptPath',
  'EgressObservationReporter',
  'credentialHeaderName',
  'isCredentialHeaderName',
  'observationFirstSegment',
  'observationFor',
  'firstSegmentLooksLikeCredential',
  'observeUncoveredDisabledByEnv',
  'CREDENTIAL_HEADER_ALLOWLIST',
  'CREDENTIAL_HEADER_SUFFIXES',
] as const;

/** Node-only by design (filesystem). */
const NODE_ONLY = ['FileTokenStore'] as const;

type Entry = Record<string, unknown>;
const builds: Record<string, { module: Entry; node: boolean }> = {};

beforeAll(async () => {
  builds['dist/index.js'] = { module: (await import(pathToFileURL(dist('index.js')).href)) as Entry, node: true };
  builds['dist/index.cjs'] = { module: requireCjs(dist('index.cjs')) as Entry, node: true };
  builds['dist/web/index.js'] = { module: (await import(pathToFileURL(dist('web/index.js')).href)) as Entry, node: false };
  builds['dist/web/index.cjs'] = { module: requireCjs(dist('web/index.cjs')) as Entry, node: false };
});

describe.each(['dist/index.js', 'dist/index.cjs', 'dist/web/index.js', 'dist/web/index.cjs'])('%s', (name) => {
  it('exports every contract §1.5 name this project implements', () => {
    const { module, node } = builds[name]!;
    const expected = node ? [...UNIVERSAL, ...NODE_ONLY] : [...UNIVERSAL];
    const missing = expected.filter((key) => module[key] === undefined);
    expect(missing).toEqual([]);
    if (!node) expect(module.FileTokenStore).toBeUndefined();
  });

  it('signup, claimSignup and exchangeToken are callable and the token-exchange constants have their contract values', () => {
    const { module } = builds[name]!;
    expect(typeof module.signup).toBe('function');
    expect(typeof module.claimSignup).toBe('function');
    expect(typeof module.exchangeToken).toBe('function');
    expect(module.TOKEN_EXCHANGE_GRANT).toBe('urn:ietf:params:oauth:grant-type:token-exchange');
    expect(module.ID_TOKEN_TYPE).toBe('urn:ietf:params:oauth:token-type:id_token');
    expect(module.KNOXCALL_AUDIENCE).toBe('knoxcall:gateway');
  });

  it('the deprecated aliases are the same values as their replacements', () => {
    const { module } = builds[name]!;
    expect(module.PermissionError).toBe(module.PermissionDeniedError);
    expect(module.AccessTokenBootstrap).toBe(module.AccessToken);
    expect(module.ClientCredentialsBootstrap).toBe(module.ClientCredentials);
    expect(module.OidcTokenExchangeBootstrap).toBe(module.OidcTokenExchange);
  });
});

// The §1.5 types, from `@knoxcall/core/types`: tsc (typecheck covers test/) fails to compile
// this alias if one of them is not exported. Not a runtime test on purpose.
export type ContractTypes = [
  KnoxCallOptions,
  CallOptions,
  BoundRouteDefaults,
  TokenStore,
  CachedToken,
  RedisClient,
  RedisTokenStoreOptions,
  ExchangeTokenInput,
  ExchangeTokenOptions,
  ExchangeTokenResponse,
  SignupInput,
  SignupResponse,
  SignupClaimResponse,
  TelemetryHooks,
  TelemetryRequestInfo,
  TelemetryResponseInfo,
  TelemetryRetryInfo,
  Envelope<unknown>,
  ResponseMeta,
  Page<unknown>,
  PageMeta,
  PageParams,
  CursorPage<unknown>,
  CursorMeta,
  CursorParams,
];
