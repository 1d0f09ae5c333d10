/**
 * `client.environments` (contract resources §6). No `get`, no pagination; addressed by `id`
 * here, while route overrides and secret values address environments by NAME.
 */
import type { DeleteResult } from './common-types.js';
import { type Endpoints, fields, NO_BODY, path, type RequestOptions } from './define/index.js';
import type { CreateEnvironmentInput, Environment, EnvironmentRecord, UpdateEnvironmentInput } from './environments.types.js';

export interface EnvironmentsResource {
  list(opts?: RequestOptions): Promise<Environment[]>;
  create(input: CreateEnvironmentInput, opts?: RequestOptions): Promise<EnvironmentRecord>;
  update(id: string, input: UpdateEnvironmentInput, opts?: RequestOptions): Promise<EnvironmentRecord>;
  delete(id: string, opts?: RequestOptions): Promise<DeleteResult>;
}

export function createEnvironments(api: Endpoints): EnvironmentsResource {
  return {
    list: (opts) => api.plainArray('/v1/environments', undefined, opts),
    create: (input, opts) => api.mutate('POST', '/v1/environments', fields(input), opts),
    update: (id, input, opts) => api.mutate('PATCH', path`/v1/environments/${id}`, fields(input), opts),
    delete: (id, opts) => api.mutate('DELETE', path`/v1/environments/${id}`, NO_BODY, opts),
  };
}
