/** `client.secrets` (contract resources §2). Values are write-only; `get` adds per-environment versions. */
import type { Page, PageParams } from '../transport/pagination.js';
import type { DeleteResult } from './common-types.js';
import { type Endpoints, fields, NO_BODY, path, type RequestOptions } from './define/index.js';
import type {
  CreateCertificateSecretInput,
  CreateOAuth2SecretInput,
  CreateSecretInput,
  CreateSecretResponse,
  GetOAuthTokenParams,
  Secret,
  SecretOAuthToken,
  SecretValueResponse,
  SetSecretValueInput,
  UpdateSecretInput,
  UpdateSecretResponse,
} from './secrets.types.js';

export interface SecretsResource {
  list(params?: PageParams, opts?: RequestOptions): Promise<Page<Secret>>;
  iterate(params?: PageParams, opts?: RequestOptions): AsyncIterableIterator<Secret>;
  /** With `environments` (one entry per environment holding a value, with `value_version`). */
  get(id: string, opts?: RequestOptions): Promise<Secret>;
  create(input: CreateSecretInput, opts?: RequestOptions): Promise<CreateSecretResponse>;
  createOAuth2(input: CreateOAuth2SecretInput, opts?: RequestOptions): Promise<CreateSecretResponse>;
  createCertificate(input: CreateCertificateSecretInput, opts?: RequestOptions): Promise<CreateSecretResponse>;
  update(id: string, input: UpdateSecretInput, opts?: RequestOptions): Promise<UpdateSecretResponse>;
  /** Writes a value; the result's `value_version` is that environment's version after the write. */
  setValue(id: string, input: SetSecretValueInput, opts?: RequestOptions): Promise<SecretValueResponse>;
  /** A live provider access token (refreshed server-side when expired). */
  getOAuthToken(id: string, params?: GetOAuthTokenParams, opts?: RequestOptions): Promise<SecretOAuthToken>;
  delete(id: string, opts?: RequestOptions): Promise<DeleteResult>;
}

export function createSecrets(api: Endpoints): SecretsResource {
  return {
    list: (params, opts) => api.listPage('/v1/secrets', params, opts),
    iterate: (params, opts) => api.iteratePage('/v1/secrets', params, opts),
    get: (id, opts) => api.getOne(path`/v1/secrets/${id}`, undefined, opts),
    create: (input, opts) => api.mutate('POST', '/v1/secrets', fields(input), opts),
    createOAuth2: (input, opts) => api.mutate('POST', '/v1/secrets/oauth2', fields(input), opts),
    createCertificate: (input, opts) => api.mutate('POST', '/v1/secrets/certificate', fields(input), opts),
    update: (id, input, opts) => api.mutate('PATCH', path`/v1/secrets/${id}`, fields(input), opts),
    setValue: (id, input, opts) => api.mutate('PUT', path`/v1/secrets/${id}/value`, fields(input), opts),
    getOAuthToken: (id, params, opts) => api.getOne(path`/v1/secrets/${id}/oauth2/token`, params, opts),
    delete: (id, opts) => api.mutate('DELETE', path`/v1/secrets/${id}`, NO_BODY, opts),
  };
}
