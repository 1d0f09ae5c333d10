import type { Bootstrap } from './bootstraps.js';
import type { TokenStore } from './token-store.js';

export type DpopMode = 'auto' | 'always' | 'never';

/** The credential-related members of `KnoxCallOptions` (contract auth §1). */
export interface AuthOptions {
  /** Explicit credential source; cannot be combined with the flat credential options. */
  bootstrap?: Bootstrap | undefined;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  /** A pre-acquired token (`kc_…`, or a legacy `tk_…` / `AKE…` key). Same as `apiKey`. */
  accessToken?: string | undefined;
  apiKey?: string | undefined;
  /** OAuth scopes for minted tokens. */
  scope?: string[] | undefined;
  /** Token cache and single-flight lock; default `new MemoryTokenStore()`. */
  tokenStore?: TokenStore | undefined;
  /** DPoP (RFC 9449) posture; default `'auto'`. */
  dpop?: DpopMode | undefined;
}
