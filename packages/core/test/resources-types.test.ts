/**
 * Type-level checks of every kind of return shape (contract resources §0): page, cursor page,
 * plain array, unwrapped object, raw text, iterators, and the open enums. Checked by `tsc`
 * (vitest's expectTypeOf is a no-op at runtime, so the checks are written on types only).
 */
import { describe, expectTypeOf, it } from 'vitest';
import type {
  Account,
  AuditLogEntry,
  CreateApiKeyResponse,
  CreateOAuthClientResponse,
  CreateWebhookResponse,
  CursorPage,
  DbLeaseList,
  DeleteResult,
  DeleteResultLoose,
  Environment,
  KnoxCall,
  KnoxWebhookEvent,
  NameDeleteResult,
  Page,
  RequestOptions,
  Resources,
  Route,
  RouteListItem,
  RouteLogEntry,
  Secret,
  SecretType,
  VaultTokenListItem,
  WebhookEventTypeList,
} from '../src/index.js';
import type { SignupClaimReady, SignupClaimResponse } from '../src/signup/index.js';
import { claimSignup } from '../src/signup/index.js';

describe('resource return types', () => {
  it('the client carries every resource property with its typed methods', () => {
    expectTypeOf<KnoxCall['routes']>().toEqualTypeOf<Resources['routes']>();
    expectTypeOf<KnoxCall['dynamicDb']>().toEqualTypeOf<Resources['dynamicDb']>();
  });

  it('page-numbered lists return the whole Page<T>', () => {
    expectTypeOf<KnoxCall['routes']['list']>().returns.resolves.toEqualTypeOf<Page<RouteListItem>>();
    expectTypeOf<KnoxCall['routes']['getLogs']>().returns.resolves.toEqualTypeOf<Page<RouteLogEntry>>();
    expectTypeOf<KnoxCall['secrets']['list']>().returns.resolves.toEqualTypeOf<Page<Secret>>();
    expectTypeOf<KnoxCall['vaults']['listTokens']>().returns.resolves.toEqualTypeOf<Page<VaultTokenListItem>>();
    expectTypeOf<Page<RouteListItem>['meta']['total_pages']>().toEqualTypeOf<number>();
  });

  it('cursor feeds return CursorPage<T> with a nullable next_cursor', () => {
    expectTypeOf<KnoxCall['auditLogs']['events']>().returns.resolves.toEqualTypeOf<CursorPage<AuditLogEntry>>();
    expectTypeOf<CursorPage<AuditLogEntry>['meta']['next_cursor']>().toEqualTypeOf<string | null>();
  });

  it('iterate* return lazy async iterators of the row type', () => {
    expectTypeOf<KnoxCall['routes']['iterate']>().returns.toEqualTypeOf<AsyncIterableIterator<RouteListItem>>();
    expectTypeOf<KnoxCall['auditLogs']['iterateEvents']>().returns.toEqualTypeOf<AsyncIterableIterator<AuditLogEntry>>();
    expectTypeOf<KnoxCall['vaults']['iterateTokens']>().returns.toEqualTypeOf<AsyncIterableIterator<VaultTokenListItem>>();
  });

  it('plain-array endpoints return T[]', () => {
    expectTypeOf<KnoxCall['environments']['list']>().returns.resolves.toEqualTypeOf<Environment[]>();
    expectTypeOf<KnoxCall['routes']['listEnvironments']>().returns.resolves.toBeArray();
    expectTypeOf<KnoxCall['oauthClients']['list']>().returns.resolves.toBeArray();
  });

  it('single objects are unwrapped (no envelope)', () => {
    expectTypeOf<KnoxCall['routes']['get']>().returns.resolves.toEqualTypeOf<Route>();
    expectTypeOf<KnoxCall['account']['get']>().returns.resolves.toEqualTypeOf<Account>();
    expectTypeOf<KnoxCall['webhooks']['listEventTypes']>().returns.resolves.toEqualTypeOf<WebhookEventTypeList>();
    expectTypeOf<KnoxCall['dynamicDb']['listLeases']>().returns.resolves.toEqualTypeOf<DbLeaseList>();
    expectTypeOf<Route>().not.toHaveProperty('meta');
  });

  it('one-time secrets are typed on the create results only', () => {
    expectTypeOf<KnoxCall['webhooks']['create']>().returns.resolves.toEqualTypeOf<CreateWebhookResponse>();
    expectTypeOf<CreateWebhookResponse['secret_key']>().toEqualTypeOf<string>();
    expectTypeOf<CreateApiKeyResponse['api_key']>().toEqualTypeOf<string>();
    expectTypeOf<CreateOAuthClientResponse['warning']>().toEqualTypeOf<string | undefined>();
  });

  it('deletes return the unwrapped server body', () => {
    expectTypeOf<KnoxCall['routes']['delete']>().returns.resolves.toEqualTypeOf<DeleteResult>();
    expectTypeOf<KnoxCall['vaults']['delete']>().returns.resolves.toEqualTypeOf<DeleteResultLoose>();
    expectTypeOf<KnoxCall['dynamicDb']['delete']>().returns.resolves.toEqualTypeOf<NameDeleteResult>();
  });

  it('raw-text endpoints return string', () => {
    expectTypeOf<KnoxCall['pki']['getRootCert']>().returns.resolves.toEqualTypeOf<string>();
    expectTypeOf<KnoxCall['pki']['getCrl']>().returns.resolves.toEqualTypeOf<string>();
  });

  it('webhook verifiers return the typed event', () => {
    expectTypeOf<KnoxCall['webhooks']['constructEvent']>().returns.toEqualTypeOf<KnoxWebhookEvent>();
    expectTypeOf<KnoxCall['webhooks']['constructEventAsync']>().returns.resolves.toEqualTypeOf<KnoxWebhookEvent>();
  });

  it('every method takes the trailing RequestOptions', () => {
    expectTypeOf<KnoxCall['routes']['get']>().parameter(1).toEqualTypeOf<RequestOptions | undefined>();
    expectTypeOf<KnoxCall['account']['getUsage']>().parameter(0).toEqualTypeOf<RequestOptions | undefined>();
    expectTypeOf<KnoxCall['crypto']['decrypt']>().parameter(3).toEqualTypeOf<RequestOptions | undefined>();
    expectTypeOf<RequestOptions>().toEqualTypeOf<{ idempotencyKey?: string; signal?: AbortSignal }>();
  });

  it('enums are open: known values autocomplete and new server values still compile', () => {
    expectTypeOf<'oauth2'>().toExtend<SecretType>();
    expectTypeOf<'a-future-type'>().toExtend<SecretType>();
    expectTypeOf<Secret['secret_type']>().toEqualTypeOf<SecretType | undefined>();
  });

  it('the claim result discriminates on status', () => {
    expectTypeOf(claimSignup).returns.resolves.toEqualTypeOf<SignupClaimResponse>();
    const narrow = (r: SignupClaimResponse) => (r.status === 'ready' ? r : undefined);
    expectTypeOf(narrow).returns.toEqualTypeOf<SignupClaimReady | undefined>();
  });
});
