/**
 * `client.oauthClients` (contract resources §5). These handlers answer a bare `{data}` (no
 * `meta`), and create / rotate-secret put a `warning` next to `data`, which is copied in.
 */
import { unwrap } from '../transport/pagination.js';
import type { RevokeResult } from './common-types.js';
import { type Endpoints, fields, fieldsWithDefaults, NO_BODY, path, type RequestOptions } from './define/index.js';
import type {
  CreateOAuthClientInput,
  CreateOAuthClientResponse,
  OAuthClient,
  OAuthClientDetail,
  RotateOAuthClientSecretResponse,
  UpdateOAuthClientInput,
  UpdateOAuthClientResponse,
} from './oauth-clients.types.js';

export interface OAuthClientsResource {
  /** Every client (no pagination). */
  list(opts?: RequestOptions): Promise<OAuthClient[]>;
  get(id: string, opts?: RequestOptions): Promise<OAuthClientDetail>;
  /** Fills the contract's defaults for members left undefined; `client_secret` is shown once. */
  create(input: CreateOAuthClientInput, opts?: RequestOptions): Promise<CreateOAuthClientResponse>;
  update(id: string, input: UpdateOAuthClientInput, opts?: RequestOptions): Promise<UpdateOAuthClientResponse>;
  /** Revokes every token minted with the old secret; the new secret is shown once. */
  rotateSecret(id: string, opts?: RequestOptions): Promise<RotateOAuthClientSecretResponse>;
  /** The delete; cascades to every active token of the client. */
  revoke(id: string, opts?: RequestOptions): Promise<RevokeResult>;
}

const CREATE_DEFAULTS = {
  type: 'confidential',
  grant_types: ['client_credentials'],
  allowed_scopes: [],
  require_dpop: false,
  require_pkce: true,
  token_format: 'opaque',
};

/** `data` with the top-level `warning` copied in when it is present and not null. */
function withWarning<T>(body: unknown): T {
  const data = unwrap<T>(body);
  const warning = typeof body === 'object' && body !== null ? (body as { warning?: unknown }).warning : undefined;
  if (warning === undefined || warning === null || typeof data !== 'object' || data === null) return data;
  return { ...data, warning };
}

export function createOAuthClients(api: Endpoints): OAuthClientsResource {
  return {
    list: (opts) => api.plainArray('/v1/oauth-clients', undefined, opts),
    get: (id, opts) => api.getOne(path`/v1/oauth-clients/${id}`, undefined, opts),
    create: async (input, opts) => withWarning(await api.envelope('POST', '/v1/oauth-clients', fieldsWithDefaults(input, CREATE_DEFAULTS), opts)),
    update: (id, input, opts) => api.mutate('PATCH', path`/v1/oauth-clients/${id}`, fields(input), opts),
    rotateSecret: async (id, opts) => withWarning(await api.envelope('POST', path`/v1/oauth-clients/${id}/rotate-secret`, {}, opts)),
    revoke: (id, opts) => api.mutate('DELETE', path`/v1/oauth-clients/${id}`, NO_BODY, opts),
  };
}
