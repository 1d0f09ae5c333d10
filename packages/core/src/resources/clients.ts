/** `client.clients` — mTLS / IP clients and their credentials (contract resources §4). */
import type { Page } from '../transport/pagination.js';
import type { DeleteResult } from './common-types.js';
import { type Endpoints, fields, fieldsWithDefaults, NO_BODY, path, type RequestOptions } from './define/index.js';
import type {
  Client,
  ClientCredential,
  ClientDetail,
  ClientRecord,
  CreateClientCredentialInput,
  CreateClientCredentialResponse,
  CreateClientInput,
  ListClientsParams,
  UpdateClientCredentialInput,
  UpdateClientInput,
} from './clients.types.js';

export interface ClientsResource {
  list(params?: ListClientsParams, opts?: RequestOptions): Promise<Page<Client>>;
  iterate(params?: ListClientsParams, opts?: RequestOptions): AsyncIterableIterator<Client>;
  /** With `route_assignments`. */
  get(id: string, opts?: RequestOptions): Promise<ClientDetail>;
  /** Sends `type: "server"` unless another type is given. */
  create(input: CreateClientInput, opts?: RequestOptions): Promise<ClientRecord>;
  update(id: string, input: UpdateClientInput, opts?: RequestOptions): Promise<ClientRecord>;
  delete(id: string, opts?: RequestOptions): Promise<DeleteResult>;
  listCredentials(clientId: string, opts?: RequestOptions): Promise<ClientCredential[]>;
  /** mTLS issue mode returns a one-shot `reveal`. */
  createCredential(clientId: string, input: CreateClientCredentialInput, opts?: RequestOptions): Promise<CreateClientCredentialResponse>;
  updateCredential(clientId: string, credentialId: string, input: UpdateClientCredentialInput, opts?: RequestOptions): Promise<ClientCredential>;
  deleteCredential(clientId: string, credentialId: string, opts?: RequestOptions): Promise<DeleteResult>;
}

export function createClients(api: Endpoints): ClientsResource {
  return {
    list: (params, opts) => api.listPage('/v1/clients', params, opts),
    iterate: (params, opts) => api.iteratePage('/v1/clients', params, opts),
    get: (id, opts) => api.getOne(path`/v1/clients/${id}`, undefined, opts),
    create: (input, opts) => api.mutate('POST', '/v1/clients', fieldsWithDefaults(input, { type: 'server' }), opts),
    update: (id, input, opts) => api.mutate('PATCH', path`/v1/clients/${id}`, fields(input), opts),
    delete: (id, opts) => api.mutate('DELETE', path`/v1/clients/${id}`, NO_BODY, opts),
    listCredentials: (clientId, opts) => api.plainArray(path`/v1/clients/${clientId}/credentials`, undefined, opts),
    createCredential: (clientId, input, opts) => api.mutate('POST', path`/v1/clients/${clientId}/credentials`, fields(input), opts),
    updateCredential: (clientId, credentialId, input, opts) =>
      api.mutate('PATCH', path`/v1/clients/${clientId}/credentials/${credentialId}`, fields(input), opts),
    deleteCredential: (clientId, credentialId, opts) => api.mutate('DELETE', path`/v1/clients/${clientId}/credentials/${credentialId}`, NO_BODY, opts),
  };
}
