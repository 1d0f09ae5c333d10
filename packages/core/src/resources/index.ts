/**
 * The resource catalogue (contract resources.md). `createResources` is what the client calls;
 * everything else here is public types.
 */
import type { ResourceRequester } from '../transport/resource-request.js';
import { bindEndpoints } from './define/index.js';
import { createExtendedResources } from './extended/index.js';
import { createRoutes } from './routes.js';

export type { DeleteResult, DeleteResultLoose, JsonObject, JsonValue, NameDeleteResult, RevokeResult } from './common-types.js';
export type { RequestOptions } from './define/index.js';
export type { RoutesResource } from './routes.js';
export type * from './routes.types.js';

/** @internal What the client passes besides its requester. */
export interface CreateResourcesOptions {
  /**
   * The synchronous webhook verifier behind `client.webhooks.constructEvent`: the Node build
   * passes the node:crypto one, the Web build its "unavailable" variant. (Typed precisely once
   * the webhooks module lands.)
   */
  constructWebhookEvent?: (...args: never[]) => unknown;
}

/**
 * @internal Builds every resource over one requester. The client assigns each returned
 * property to itself (`client.routes`, `client.secrets`, …).
 */
export function createResources(requester: ResourceRequester, _options: CreateResourcesOptions = {}) {
  const api = bindEndpoints(requester);
  return {
    routes: createRoutes(api),
    ...createExtendedResources(requester),
  };
}
