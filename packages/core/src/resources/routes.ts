/**
 * `client.routes` (contract resources §1) — the worked example of the definition mechanism
 * (see `define/index.ts`). `id` is the route slug (preferred) or UUID; environments are
 * addressed by NAME.
 */
import type { Page, PageParams } from '../transport/pagination.js';
import type { DeleteResult, DeleteResultLoose } from './common-types.js';
import { type Endpoints, fields, NO_BODY, path, type RequestOptions } from './define/index.js';
import type {
  CreateRouteActionInput,
  CreateRouteInput,
  ListRoutesParams,
  Route,
  RouteAction,
  RouteEnvironmentConfig,
  RouteEnvironmentInput,
  RouteEnvironmentSummary,
  RouteListItem,
  RouteLogEntry,
  RouteRecord,
  UpdateRouteInput,
} from './routes.types.js';

export interface RoutesResource {
  list(params?: ListRoutesParams, opts?: RequestOptions): Promise<Page<RouteListItem>>;
  iterate(params?: ListRoutesParams, opts?: RequestOptions): AsyncIterableIterator<RouteListItem>;
  get(id: string, opts?: RequestOptions): Promise<Route>;
  create(input: CreateRouteInput, opts?: RequestOptions): Promise<RouteRecord>;
  update(id: string, input: UpdateRouteInput, opts?: RequestOptions): Promise<RouteRecord>;
  delete(id: string, opts?: RequestOptions): Promise<DeleteResult>;
  /** One page of the route's request log (no iterator in the contract). */
  getLogs(id: string, params?: PageParams, opts?: RequestOptions): Promise<Page<RouteLogEntry>>;
  listEnvironments(id: string, opts?: RequestOptions): Promise<RouteEnvironmentSummary[]>;
  /** Upsert of the override for environment `envName` (a NAME, not an id). */
  upsertEnvironment(id: string, envName: string, input: RouteEnvironmentInput, opts?: RequestOptions): Promise<RouteEnvironmentConfig>;
  deleteEnvironment(id: string, envName: string, opts?: RequestOptions): Promise<DeleteResult>;
  listActions(id: string, opts?: RequestOptions): Promise<RouteAction[]>;
  createAction(id: string, input: CreateRouteActionInput, opts?: RequestOptions): Promise<RouteAction>;
  deleteAction(id: string, actionId: string, opts?: RequestOptions): Promise<DeleteResultLoose>;
}

export function createRoutes(api: Endpoints): RoutesResource {
  return {
    list: (params, opts) => api.listPage('/v1/routes', params, opts),
    iterate: (params, opts) => api.iteratePage('/v1/routes', params, opts),
    get: (id, opts) => api.getOne(path`/v1/routes/${id}`, undefined, opts),
    create: (input, opts) => api.mutate('POST', '/v1/routes', fields(input), opts),
    update: (id, input, opts) => api.mutate('PATCH', path`/v1/routes/${id}`, fields(input), opts),
    delete: (id, opts) => api.mutate('DELETE', path`/v1/routes/${id}`, NO_BODY, opts),
    getLogs: (id, params, opts) => api.listPage(path`/v1/routes/${id}/logs`, params, opts),
    listEnvironments: (id, opts) => api.plainArray(path`/v1/routes/${id}/environments`, undefined, opts),
    upsertEnvironment: (id, envName, input, opts) => api.mutate('PUT', path`/v1/routes/${id}/environments/${envName}`, fields(input), opts),
    deleteEnvironment: (id, envName, opts) => api.mutate('DELETE', path`/v1/routes/${id}/environments/${envName}`, NO_BODY, opts),
    listActions: (id, opts) => api.plainArray(path`/v1/routes/${id}/actions`, undefined, opts),
    createAction: (id, input, opts) => api.mutate('POST', path`/v1/routes/${id}/actions`, fields(input), opts),
    deleteAction: (id, actionId, opts) => api.mutate('DELETE', path`/v1/routes/${id}/actions/${actionId}`, NO_BODY, opts),
  };
}
