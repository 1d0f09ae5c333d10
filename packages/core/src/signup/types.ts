/** Input and response types of the standalone `signup` / `claimSignup` (contract resources §20, §21.16). */

export type SignupRegion = 'us' | 'eu' | 'au' | (string & {});

export interface SignupInput {
  email: string;
  tenant_name: string;
  /** Defaults to the tenant name. */
  full_name?: string;
  /** Omit to let the server derive an available one (recommended). */
  tenant_slug?: string;
  /** ISO 3166-1 alpha-2; derives the region when `region` is omitted. */
  country?: string;
  /** Immutable. */
  region?: SignupRegion;
}

export interface ClaimSignupInput {
  /** The opaque, single-use `claim_handle` that `signup` returned (treat it as a secret). */
  claim_handle: string;
}

export interface SignupOptions {
  /** Default `https://api.knoxcall.com` (a trailing `/` is stripped; `KNOXCALL_BASE_URL` is NOT read). */
  baseUrl?: string;
  /** Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

/** Python `SignupResult`: always `pending`; never a credential. */
export interface SignupResponse {
  status: 'pending' | (string & {});
  claim_handle: string;
  /** `/v1/signup/claim`, on the same host. */
  claim_path: string;
  poll_after_seconds: number;
  expires_at: string;
  message: string;
  documentation: string;
}

export interface SignupTenant {
  id?: string;
  slug?: string;
  name?: string;
  region?: string;
  plan?: string;
}

export interface SignupStarterRoute {
  id: string;
  name: string;
  target_base_url: string;
}

export interface SignupStarterApiKey {
  id?: string;
  key_id?: string;
  /** A one-time TEST key (`tk_test_…`) for raw proxy calls with `x-knoxcall-key` on the sandbox host. */
  api_key?: string;
  key_prefix?: string;
  key_type?: 'test' | (string & {});
}

/** Python `StarterResources`. */
export interface SignupStarter {
  route?: SignupStarterRoute | null;
  api_key?: SignupStarterApiKey;
  sandbox_host?: string;
  curl?: string;
}

export interface SignupSandbox {
  management_api?: string;
  proxy_host?: string;
  note?: string;
}

/** HTTP 202 until the e-mailed link is clicked: a success, poll again after `poll_after_seconds`. */
export interface SignupClaimPending {
  status: 'pending';
  message?: string;
  poll_after_seconds?: number;
  expires_at?: string;
}

/** HTTP 200, exactly once. */
export interface SignupClaimReady {
  status: 'ready';
  tenant?: SignupTenant;
  starter?: SignupStarter;
  sandbox?: SignupSandbox;
  documentation?: string;
}

/** Discriminate on `status` (not on the HTTP code). */
export type SignupClaimResponse = SignupClaimPending | SignupClaimReady;
