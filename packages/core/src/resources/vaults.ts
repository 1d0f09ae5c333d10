/** `client.vaults` — tokenization (contract resources §14); vaults are addressed by name or id. */
import type { Page, PageParams } from '../transport/pagination.js';
import type { DeleteResultLoose } from './common-types.js';
import { type Endpoints, fields, NO_BODY, path, type RequestOptions } from './define/index.js';
import type {
  BulkTokenizeInput,
  BulkTokenizeResult,
  CreateVaultInput,
  DetokenizeResponse,
  Token,
  TokenizeInput,
  TokenUpdateResult,
  UpdateTokenInput,
  UpdateVaultInput,
  Vault,
  VaultDetail,
  VaultRotateResult,
  VaultTokenListItem,
} from './vaults.types.js';

export interface VaultsResource {
  list(params?: PageParams, opts?: RequestOptions): Promise<Page<Vault>>;
  iterate(params?: PageParams, opts?: RequestOptions): AsyncIterableIterator<Vault>;
  /** With `stats`. */
  get(nameOrId: string, opts?: RequestOptions): Promise<VaultDetail>;
  create(input: CreateVaultInput, opts?: RequestOptions): Promise<Vault>;
  update(nameOrId: string, input: UpdateVaultInput, opts?: RequestOptions): Promise<Vault>;
  /** Crypto-shreds the vault and all its tokens. */
  delete(nameOrId: string, opts?: RequestOptions): Promise<DeleteResultLoose>;
  rotate(nameOrId: string, opts?: RequestOptions): Promise<VaultRotateResult>;
  tokenize(nameOrId: string, input: TokenizeInput, opts?: RequestOptions): Promise<Token>;
  /** All or nothing: a refusal names the offending index and rolls the batch back. */
  bulkTokenize(nameOrId: string, input: BulkTokenizeInput, opts?: RequestOptions): Promise<BulkTokenizeResult>;
  /** Metadata only, never values. */
  listTokens(nameOrId: string, params?: PageParams, opts?: RequestOptions): Promise<Page<VaultTokenListItem>>;
  iterateTokens(nameOrId: string, params?: PageParams, opts?: RequestOptions): AsyncIterableIterator<VaultTokenListItem>;
  /** Returns `value` and `value_b64`. */
  detokenize(nameOrId: string, idOrToken: string, opts?: RequestOptions): Promise<DetokenizeResponse>;
  updateToken(nameOrId: string, idOrToken: string, input: UpdateTokenInput, opts?: RequestOptions): Promise<TokenUpdateResult>;
  deleteToken(nameOrId: string, idOrToken: string, opts?: RequestOptions): Promise<DeleteResultLoose>;
}

export function createVaults(api: Endpoints): VaultsResource {
  return {
    list: (params, opts) => api.listPage('/v1/vaults', params, opts),
    iterate: (params, opts) => api.iteratePage('/v1/vaults', params, opts),
    get: (nameOrId, opts) => api.getOne(path`/v1/vaults/${nameOrId}`, undefined, opts),
    create: (input, opts) => api.mutate('POST', '/v1/vaults', fields(input), opts),
    update: (nameOrId, input, opts) => api.mutate('PATCH', path`/v1/vaults/${nameOrId}`, fields(input), opts),
    delete: (nameOrId, opts) => api.mutate('DELETE', path`/v1/vaults/${nameOrId}`, NO_BODY, opts),
    rotate: (nameOrId, opts) => api.mutate('POST', path`/v1/vaults/${nameOrId}/rotate`, {}, opts),
    tokenize: (nameOrId, input, opts) => api.mutate('POST', path`/v1/vaults/${nameOrId}/tokens`, fields(input), opts),
    bulkTokenize: (nameOrId, input, opts) => api.mutate('POST', path`/v1/vaults/${nameOrId}/tokens/bulk`, fields(input), opts),
    listTokens: (nameOrId, params, opts) => api.listPage(path`/v1/vaults/${nameOrId}/tokens`, params, opts),
    iterateTokens: (nameOrId, params, opts) => api.iteratePage(path`/v1/vaults/${nameOrId}/tokens`, params, opts),
    detokenize: (nameOrId, idOrToken, opts) => api.getOne(path`/v1/vaults/${nameOrId}/tokens/${idOrToken}`, undefined, opts),
    updateToken: (nameOrId, idOrToken, input, opts) => api.mutate('PATCH', path`/v1/vaults/${nameOrId}/tokens/${idOrToken}`, fields(input), opts),
    deleteToken: (nameOrId, idOrToken, opts) => api.mutate('DELETE', path`/v1/vaults/${nameOrId}/tokens/${idOrToken}`, NO_BODY, opts),
  };
}
