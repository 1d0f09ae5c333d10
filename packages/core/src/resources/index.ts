/**
 * The resource catalogue (contract resources.md). `createResources` is what the client calls;
 * everything else here is public: the resource interfaces and every input/response type.
 */
import type { ResourceRequester } from '../transport/resource-request.js';
import { type AccountResource, createAccount } from './account.js';
import { type AgentsResource, createAgents } from './agents.js';
import { type ApiKeysResource, createApiKeys } from './api-keys.js';
import { type AuditLogsResource, createAuditLogs } from './audit-logs.js';
import { type ClientsResource, createClients } from './clients.js';
import { type CryptoResource, createCrypto } from './crypto.js';
import { bindEndpoints } from './define/index.js';
import { createDynamicDb, type DynamicDbResource } from './dynamic-db.js';
import { createEnvironments, type EnvironmentsResource } from './environments.js';
import { createExtendedResources, type ExtendedResources } from './extended/index.js';
import { createOAuthClients, type OAuthClientsResource } from './oauth-clients.js';
import { createPki, type PkiResource } from './pki.js';
import { createRoutes, type RoutesResource } from './routes.js';
import { createSecrets, type SecretsResource } from './secrets.js';
import { createVaults, type VaultsResource } from './vaults.js';
import { type ConstructWebhookEvent, createWebhooks, type WebhooksResource } from './webhooks.js';

export type { AccountResource } from './account.js';
export type * from './account.types.js';
export type { AgentsResource } from './agents.js';
export type * from './agents.types.js';
export type { ApiKeysResource } from './api-keys.js';
export type * from './api-keys.types.js';
export type { AuditLogsResource } from './audit-logs.js';
export type * from './audit-logs.types.js';
export type { ClientsResource } from './clients.js';
export type * from './clients.types.js';
export type * from './common-types.js';
export type { CryptoResource } from './crypto.js';
export type * from './crypto.types.js';
export type { RequestOptions } from './define/index.js';
export type { DynamicDbResource } from './dynamic-db.js';
export type * from './dynamic-db.types.js';
export type { EnvironmentsResource } from './environments.js';
export type * from './environments.types.js';
export * from './extended/index.js';
export type { OAuthClientsResource } from './oauth-clients.js';
export type * from './oauth-clients.types.js';
export type { PkiResource } from './pki.js';
export type * from './pki.types.js';
export type { RoutesResource } from './routes.js';
export type * from './routes.types.js';
export type { SecretsResource } from './secrets.js';
export type * from './secrets.types.js';
export type { VaultsResource } from './vaults.js';
export type * from './vaults.types.js';
export type { ConstructWebhookEvent, WebhooksManagement, WebhooksResource } from './webhooks.js';
export type * from './webhooks.types.js';

/** The resources of the core tier (contract resources §0). */
export interface CoreResources {
  routes: RoutesResource;
  secrets: SecretsResource;
  webhooks: WebhooksResource;
  clients: ClientsResource;
  oauthClients: OAuthClientsResource;
  environments: EnvironmentsResource;
  apiKeys: ApiKeysResource;
  account: AccountResource;
  auditLogs: AuditLogsResource;
  agents: AgentsResource;
  crypto: CryptoResource;
  pki: PkiResource;
  vaults: VaultsResource;
  dynamicDb: DynamicDbResource;
}

/** Every resource property of the client. */
export type Resources = CoreResources & ExtendedResources;

/** @internal What the client passes besides its requester. */
export interface CreateResourcesOptions {
  /**
   * The synchronous webhook verifier behind `client.webhooks.constructEvent`, with the
   * signature of `ConstructWebhookEvent`: the Node build passes `constructWebhookEvent` from
   * node/webhook-verifier.ts; omitted (or on the Web build) it is the stand-in that names
   * `constructEventAsync`. Typed loosely so the client's runtime table can carry it as-is.
   */
  constructWebhookEvent?: ConstructWebhookEvent | ((...args: never[]) => unknown) | undefined;
}

/**
 * @internal Builds every resource over one requester. The client assigns each returned
 * property to itself (`client.routes`, `client.secrets`, …).
 */
export function createResources(requester: ResourceRequester, options: CreateResourcesOptions = {}): Resources {
  const api = bindEndpoints(requester);
  return {
    routes: createRoutes(api),
    secrets: createSecrets(api),
    webhooks: createWebhooks(api, options.constructWebhookEvent as ConstructWebhookEvent | undefined),
    clients: createClients(api),
    oauthClients: createOAuthClients(api),
    environments: createEnvironments(api),
    apiKeys: createApiKeys(api),
    account: createAccount(api),
    auditLogs: createAuditLogs(api),
    agents: createAgents(api),
    crypto: createCrypto(api),
    pki: createPki(api),
    vaults: createVaults(api),
    dynamicDb: createDynamicDb(api),
    ...createExtendedResources(requester),
  };
}
