import type { Authenticator, AuthenticatorConfig } from './authenticator.js';
import { TokenAuthenticator } from './token-authenticator.js';

/**
 * Builds the client's authenticator. Validates the credential options at once (conflicts
 * are `BootstrapError`s, a bad `dpop` mode a `KnoxCallError`) and does no I/O.
 */
export function createAuthenticator(config: AuthenticatorConfig): Authenticator {
  return new TokenAuthenticator(config);
}
