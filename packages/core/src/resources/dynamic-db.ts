/**
 * `client.dynamicDb` — short-lived database credentials (contract resources §15), under
 * `/v1/dyn-db-credentials`. A connection literally named `leases` is shadowed by the lease list.
 */
import type { NameDeleteResult } from './common-types.js';
import { type Endpoints, fields, fieldsWithDefaults, NO_BODY, path, type RequestOptions } from './define/index.js';
import type {
  CreateDbConnectionInput,
  CreateDbConnectionResponse,
  CreateDbRoleInput,
  DbConnection,
  DbLeaseList,
  DbRole,
  DbRoleCreateResult,
  DbUpdateResult,
  LeaseRevokeResult,
  ListDbLeasesParams,
  MintDbCredentialInput,
  MintDbCredentialResponse,
  RotateSshKeyInput,
  RotateSshKeyResult,
  UpdateDbConnectionInput,
  UpdateDbRoleInput,
} from './dynamic-db.types.js';

export interface DynamicDbResource {
  list(opts?: RequestOptions): Promise<DbConnection[]>;
  get(name: string, opts?: RequestOptions): Promise<DbConnection>;
  /** Sends `execution_mode: "direct"` unless another mode is given. */
  create(input: CreateDbConnectionInput, opts?: RequestOptions): Promise<CreateDbConnectionResponse>;
  update(name: string, input: UpdateDbConnectionInput, opts?: RequestOptions): Promise<DbUpdateResult>;
  delete(name: string, opts?: RequestOptions): Promise<NameDeleteResult>;
  rotateSshKey(name: string, input: RotateSshKeyInput, opts?: RequestOptions): Promise<RotateSshKeyResult>;
  listRoles(connectionName: string, opts?: RequestOptions): Promise<DbRole[]>;
  createRole(connectionName: string, input: CreateDbRoleInput, opts?: RequestOptions): Promise<DbRoleCreateResult>;
  updateRole(connectionName: string, role: string, input: UpdateDbRoleInput, opts?: RequestOptions): Promise<DbUpdateResult>;
  deleteRole(connectionName: string, role: string, opts?: RequestOptions): Promise<NameDeleteResult>;
  /** A fresh database user; the password is returned exactly once. */
  mint(connectionName: string, role: string, input?: MintDbCredentialInput, opts?: RequestOptions): Promise<MintDbCredentialResponse>;
  /** Live leases, `{leases, total, limit, offset}` (not a `Page`). */
  listLeases(params?: ListDbLeasesParams, opts?: RequestOptions): Promise<DbLeaseList>;
  revokeLease(leaseId: number | string, opts?: RequestOptions): Promise<LeaseRevokeResult>;
}

export function createDynamicDb(api: Endpoints): DynamicDbResource {
  return {
    list: (opts) => api.plainArray('/v1/dyn-db-credentials', undefined, opts),
    get: (name, opts) => api.getOne(path`/v1/dyn-db-credentials/${name}`, undefined, opts),
    create: (input, opts) => api.mutate('POST', '/v1/dyn-db-credentials', fieldsWithDefaults(input, { execution_mode: 'direct' }), opts),
    update: (name, input, opts) => api.mutate('PATCH', path`/v1/dyn-db-credentials/${name}`, fields(input), opts),
    delete: (name, opts) => api.mutate('DELETE', path`/v1/dyn-db-credentials/${name}`, NO_BODY, opts),
    rotateSshKey: (name, input, opts) => api.mutate('POST', path`/v1/dyn-db-credentials/${name}/rotate-ssh-key`, fields(input), opts),
    listRoles: (connectionName, opts) => api.plainArray(path`/v1/dyn-db-credentials/${connectionName}/roles`, undefined, opts),
    createRole: (connectionName, input, opts) => api.mutate('POST', path`/v1/dyn-db-credentials/${connectionName}/roles`, fields(input), opts),
    updateRole: (connectionName, role, input, opts) => api.mutate('PATCH', path`/v1/dyn-db-credentials/${connectionName}/roles/${role}`, fields(input), opts),
    deleteRole: (connectionName, role, opts) => api.mutate('DELETE', path`/v1/dyn-db-credentials/${connectionName}/roles/${role}`, NO_BODY, opts),
    mint: (connectionName, role, input, opts) => api.mutate('POST', path`/v1/dyn-db-credentials/${connectionName}/creds/${role}`, fields(input), opts),
    listLeases: (params, opts) => api.getOne('/v1/dyn-db-credentials/leases', params, opts),
    // An integer renders as decimal digits and a string is encoded as given (contract §15).
    revokeLease: (leaseId, opts) => api.mutate('POST', path`/v1/dyn-db-credentials/leases/${leaseId}/revoke`, {}, opts),
  };
}
