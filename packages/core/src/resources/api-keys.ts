/** `client.apiKeys` (contract resources §7). */
import type { Page, PageParams } from '../transport/pagination.js';
import type { RevokeResult } from './common-types.js';
import { type Endpoints, fields, NO_BODY, path, type RequestOptions } from './define/index.js';
import type { ApiKey, CreateApiKeyInput, CreateApiKeyResponse } from './api-keys.types.js';

export interface ApiKeysResource {
  list(params?: PageParams, opts?: RequestOptions): Promise<Page<ApiKey>>;
  iterate(params?: PageParams, opts?: RequestOptions): AsyncIterableIterator<ApiKey>;
  /** The result carries the one-time plaintext `api_key`. */
  create(input: CreateApiKeyInput, opts?: RequestOptions): Promise<CreateApiKeyResponse>;
  /** Takes the row `id` (UUID, recommended); any string is passed through. */
  revoke(id: string, opts?: RequestOptions): Promise<RevokeResult>;
}

export function createApiKeys(api: Endpoints): ApiKeysResource {
  return {
    list: (params, opts) => api.listPage('/v1/api-keys', params, opts),
    iterate: (params, opts) => api.iteratePage('/v1/api-keys', params, opts),
    create: (input, opts) => api.mutate('POST', '/v1/api-keys', fields(input), opts),
    revoke: (id, opts) => api.mutate('DELETE', path`/v1/api-keys/${id}`, NO_BODY, opts),
  };
}
