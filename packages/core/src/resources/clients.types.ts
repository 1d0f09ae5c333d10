/** Input and response types of `client.clients` and their credentials (contract resources §4, §21.5). */
import type { JsonObject } from './common-types.js';

export type ClientType = 'server' | 'user' | (string & {});
export type ClientCredentialKind = 'ip' | 'mtls_thumbprint' | 'signature_hmac' | 'signature_ed25519' | 'machine_id' | 'workload_identity' | (string & {});

export interface ListClientsParams {
  page?: number;
  per_page?: number;
  type?: ClientType;
}

export interface CreateClientInput {
  name: string;
  /** Always sent; default `"server"`. */
  type?: ClientType;
  ip_address?: string;
  description?: string | null;
  ip_notes?: JsonObject;
}

export interface UpdateClientInput {
  name?: string;
  ip_address?: string;
  description?: string | null;
  enabled?: boolean;
  ip_notes?: JsonObject;
}

export interface CreateClientCredentialInput {
  /** Only `ip` and `mtls_thumbprint` are accepted on create in V1. */
  kind: ClientCredentialKind;
  /** `ip` → `{ip_address}`; `mtls_thumbprint` issue mode → `{mode: "issue"}`. */
  data: JsonObject;
  label?: string | null;
}

/** A credential can only be disabled or relabelled. */
export interface UpdateClientCredentialInput {
  enabled?: boolean;
  label?: string | null;
}

/** List row. */
export interface Client {
  id: string;
  name: string;
  type: ClientType;
  ip_address: string;
  ip_notes: JsonObject;
  description: string | null;
  enabled: boolean;
  collection_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface ClientRouteAssignment {
  route_id: string;
  route_name: string;
  environment_name: string;
}

export interface ClientDetail extends Client {
  route_assignments: ClientRouteAssignment[];
}

/** Python `ClientFull`: create/update result. */
export interface ClientRecord {
  id: string;
  tenant_id: string;
  name: string;
  type: ClientType;
  ip_address: string;
  description: string | null;
  enabled: boolean;
  created_at: string;
  updated_at: string;
  created_by: string | null;
  collection_id: string | null;
  ip_notes: JsonObject;
  agent_version: string | null;
  agent_os: string | null;
  agent_arch: string | null;
  agent_hostname: string | null;
  agent_last_seen: string | null;
  agent_mode: string | null;
}

/** One-shot certificate material of an mTLS issue-mode create. */
export interface ClientCredentialReveal {
  certificate_pem: string;
  private_key_pem: string;
  ca_chain_pem: string;
}

export interface ClientCredential {
  id: string;
  client_id: string;
  tenant_id: string;
  kind: ClientCredentialKind;
  label: string | null;
  /** Secret material stripped. */
  data: JsonObject;
  enabled: boolean;
  expires_at: string | null;
  created_at: string;
  updated_at: string;
  last_matched_at: string | null;
  reveal?: ClientCredentialReveal;
}

/** With `reveal` on mTLS issue mode (shown once). */
export type CreateClientCredentialResponse = ClientCredential;
