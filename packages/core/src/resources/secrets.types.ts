/** Input and response types of `client.secrets` (contract resources §2, §21.3). */
export type SecretType = 'string' | 'oauth2' | 'certificate' | (string & {});
export type CertificateType = 'pem' | 'pfx' | 'p12' | 'crt' | 'cer' | 'key' | 'pkcs7' | 'p7b' | 'p7c' | (string & {});

export interface CreateSecretInput {
  name: string;
  /** Write-only: no read ever returns it. */
  value: string;
  secret_type?: SecretType;
  description?: string | null;
  /** Environment NAME that receives the value (default: the base environment). */
  environment?: string;
  collection_id?: string | null;
  /** ISO-8601. */
  expires_at?: string | null;
  strict_expiry_enforcement?: boolean;
}

export interface CreateOAuth2SecretInput {
  name: string;
  /** Provider key such as `google` or `custom`. */
  provider: string;
  client_id: string;
  /** Needed unless `mtls_certificate_id` is given or `grant_type` is `implicit` / `password`. */
  client_secret?: string;
  mtls_certificate_id?: string;
  scopes?: string[];
  auth_url?: string;
  token_url?: string;
  grant_type?: string;
  /** For the password (ROPC) grant. */
  username?: string;
  password?: string;
  collection_id?: string | null;
}

export interface CreateCertificateSecretInput {
  name: string;
  /** PEM text, or base64 for binary formats. */
  certificate_content: string;
  private_key?: string;
  passphrase?: string;
  certificate_type?: CertificateType;
  collection_id?: string | null;
}

export interface UpdateSecretInput {
  name?: string;
  description?: string | null;
  /** ISO-8601. */
  expires_at?: string | null;
  strict_expiry_enforcement?: boolean;
}

export interface SetSecretValueInput {
  value: string;
  /** Environment NAME; default: the secret's base environment. */
  environment?: string;
}

export interface GetOAuthTokenParams {
  environment?: string;
}

export interface SecretEnvironmentVersion {
  environment_name: string;
  /** That environment's value version: moves only on real value changes (rotation detection). */
  value_version: number;
  updated_at: string;
  /** Null = inherits the secret's expiry. */
  expires_at_override: string | null;
}

/** Every member may be absent. */
export interface Secret {
  id?: string;
  name?: string;
  shortcode_name?: string;
  base_environment?: string | null;
  secret_type?: SecretType;
  collection_id?: string | null;
  created_at?: string;
  expires_at?: string | null;
  strict_expiry_enforcement?: boolean;
  environment_count?: number;
  /** Only from `get`. */
  environments?: SecretEnvironmentVersion[];
}

export interface CertificateSecretMetadata {
  subject?: string;
  issuer?: string;
  expires_at?: string;
  has_private_key: boolean;
  has_passphrase: boolean;
  [key: string]: unknown;
}

/** Python `SecretCreateResult`. */
export interface CreateSecretResponse {
  id: string;
  name: string;
  secret_type: SecretType;
  base_environment: string;
  collection_id: string | null;
  shortcode_name?: string;
  environment_count?: number;
  expires_at?: string | null;
  strict_expiry_enforcement?: boolean;
  provider?: string;
  redirect_uri?: string;
  connection_status?: string;
  mtls_certificate_id?: string | null;
  certificate_type?: CertificateType;
  metadata?: CertificateSecretMetadata;
}

export interface UpdateSecretResponse {
  id: string;
  name: string;
  expires_at: string | null;
  strict_expiry_enforcement: boolean;
}

export interface SecretValueResponse {
  id: string;
  name: string;
  environment: string;
  /** The environment's version AFTER the write (1 for the first value). */
  value_version: number;
}

export interface SecretOAuthToken {
  access_token: string;
  expires_at: string | null;
  token_type: string;
  connection_status: string;
}
