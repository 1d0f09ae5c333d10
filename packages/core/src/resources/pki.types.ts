/** Input and response types of `client.pki` (contract resources §13, §21.10). */
import type { JsonObject } from './common-types.js';

export type CaRootStatus = 'active' | 'retired' | 'revoked' | (string & {});

/** Certificate subject; at least `common_name` for a root. */
export interface CertificateSubject {
  common_name?: string;
  [key: string]: unknown;
}

export interface CreateCaRootInput {
  name: string;
  subject: CertificateSubject & { common_name: string };
}

export interface CreateCaRoleInput {
  /** Stored (and read back) as `name`. */
  role_name: string;
  allowed_domains?: string[];
  allow_subdomains?: boolean;
  allow_wildcards?: boolean;
  max_ttl_seconds?: number;
  default_ttl_seconds?: number;
}

export interface IssueCertInput {
  subject: CertificateSubject;
  san_dns?: string[];
  san_ip?: string[];
  ttl_seconds?: number;
}

export interface RevokeCertInput {
  serial_hex: string;
  reason?: string;
}

/** Python `CARoot`. */
export interface CaRoot {
  id: string;
  tenant_id: string;
  name: string;
  cert_pem: string;
  subject: string;
  subject_fields: JsonObject | null;
  not_before: string;
  not_after: string;
  status: CaRootStatus;
  created_at: string;
  sandbox: boolean;
}

/** Python `CARole`. */
export interface CaRole {
  id: string;
  ca_root_id: string;
  name: string;
  allowed_domains: string[];
  allow_subdomains: boolean;
  allow_wildcards: boolean;
  max_ttl_seconds: number;
  default_ttl_seconds: number;
  key_algorithm: 'ecdsa-p256' | (string & {});
}

/** Python `CreateRootResult`. */
export interface CreateCaRootResponse {
  root: CaRoot;
  intermediate_not_after: string;
}

export interface RotateIntermediateResult {
  intermediate_id: string;
  not_after: string;
}

/** Python `IssuedCertificate`. */
export interface IssueCertResponse {
  serial_hex: string;
  cert_pem: string;
  /** The leaf key, shown once. */
  private_key_pem: string;
  ca_chain_pem: string;
  not_before: string;
  not_after: string;
}

export interface RevokeCertResult {
  revoked: boolean;
}
