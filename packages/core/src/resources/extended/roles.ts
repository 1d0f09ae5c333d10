/** `client.roles` (contract resources §7): read-only on `/v1`. */
import type { Page } from '../../transport/pagination.js';
import type { Endpoints, RequestOptions } from '../define/index.js';
import type { ListRolesParams, Role } from './types/roles.js';

export interface RolesResource {
  list(params?: ListRolesParams, opts?: RequestOptions): Promise<Page<Role>>;
  /** Every role across pages; `subject_kind` is re-sent on each page. */
  iterate(params?: ListRolesParams, opts?: RequestOptions): AsyncIterableIterator<Role>;
}

export function createRoles(api: Endpoints): RolesResource {
  return {
    list: (params, opts) => api.listPage('/v1/roles', params, opts),
    iterate: (params, opts) => api.iteratePage('/v1/roles', params, opts),
  };
}
