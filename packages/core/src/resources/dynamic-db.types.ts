/** Input and response types of `client.dynamicDb` (contract resources §15, §21.12). */
import type { JsonObject } from './common-types.js';

/** Official sources disagree (`mongodb` vs `mongo`, …): free strings with the known values. */
export type DbEngine = 'postgres' | 'mysql' | 'mssql' | 'mongodb' | 'mongo' | (string & {});
export type DbExecutionMode = 'direct' | 'agent' | 'agent_tunnel' | 'ssh_tunnel' | 'iam' | (string & {});
export type DbLeaseStatus = 'active' | 'renewing' | 'errored' | (string & {});

export interface UpdateDbConnectionInput {
  host?: string;
  port?: number | null;
  database_name?: string | null;
  admin_username?: string;
  /** Write-only. */
  admin_password?: string;
  default_ttl_seconds?: number;
  max_ttl_seconds?: number;
  connect_options?: JsonObject;
  agent_id?: string | null;
  enabled?: boolean;
}

export interface CreateDbConnectionInput {
  name: string;
  engine: DbEngine;
  /** Always sent; default `"direct"`. */
  execution_mode?: DbExecutionMode;
  host?: string;
  port?: number | null;
  database_name?: string | null;
  admin_username?: string;
  admin_password?: string;
  agent_id?: string | null;
  ssh_host?: string;
  ssh_port?: number;
  ssh_username?: string;
  ssh_private_key?: string;
  ssh_passphrase?: string;
  ssh_host_fingerprint?: string;
  iam_region?: string;
  iam_db_user?: string;
  default_ttl_seconds?: number;
  max_ttl_seconds?: number;
  connect_options?: JsonObject;
}

export interface RotateSshKeyInput {
  ssh_private_key: string;
  ssh_passphrase?: string;
  ssh_host_fingerprint?: string;
}

export interface CreateDbRoleInput {
  name: string;
  /** A template such as `postgres_readonly`, instead of raw SQL. */
  template?: string;
  creation_sql?: string;
  revocation_sql?: string;
  default_ttl_seconds?: number;
  max_ttl_seconds?: number;
}

export interface UpdateDbRoleInput {
  creation_sql?: string;
  revocation_sql?: string;
  default_ttl_seconds?: number;
  max_ttl_seconds?: number;
}

export interface MintDbCredentialInput {
  ttl_seconds?: number;
}

export interface ListDbLeasesParams {
  limit?: number;
  offset?: number;
  /** Exact connection name. */
  connection?: string;
}

/** Python `DbConnectionCreateResult`. */
export interface CreateDbConnectionResponse {
  id: string;
  name: string;
  engine: DbEngine;
  execution_mode: DbExecutionMode;
}

/** No password or private key is ever returned. */
export interface DbConnection {
  id: string;
  name: string;
  engine: DbEngine;
  host: string;
  port: number | null;
  database_name: string | null;
  admin_username: string;
  execution_mode: DbExecutionMode;
  agent_id: string | null;
  default_ttl_seconds: number;
  max_ttl_seconds: number;
  connect_options: JsonObject;
  enabled: boolean;
  created_at: string;
  updated_at: string;
  ssh_host: string | null;
  ssh_port: number | null;
  ssh_username: string | null;
  iam_region: string | null;
  iam_db_user: string | null;
}

export interface DbUpdateResult {
  /** The connection or role NAME. */
  updated: string;
}

export interface RotateSshKeyResult {
  rotated: string;
  fingerprint_updated: boolean;
}

export interface DbRoleCreateResult {
  id: string;
  name: string;
  connection: string;
}

export interface DbRole {
  id: string;
  name: string;
  creation_sql_template: string;
  revocation_sql_template: string;
  default_ttl_seconds: number | null;
  max_ttl_seconds: number | null;
  created_at: string;
  updated_at: string;
}

/** Python `MintedDbCredential`. */
export interface MintDbCredentialResponse {
  username: string;
  /** Shown once. */
  password: string;
  expires_at: string;
  lease_id: number;
  connection_name: string;
  role_name: string;
}

export interface DbLease {
  id: number;
  status: DbLeaseStatus;
  expires_at: string;
  issued_at: string;
  username: string | null;
  connection_name: string | null;
  role_name: string | null;
  engine: string | null;
}

/** Live leases only; pagination by `limit`/`offset` lives inside `data`. */
export interface DbLeaseList {
  leases: DbLease[];
  total: number;
  limit: number;
  offset: number;
}

export interface LeaseRevokeResult {
  /** The lease id. */
  revoked: number;
}
