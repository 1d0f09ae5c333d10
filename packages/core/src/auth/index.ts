/** The universal (Node and Web) public auth API. Node-only pieces live in `../node/`. */
export {
  AccessToken,
  AccessTokenBootstrap,
  type AccessTokenInit,
  type Bootstrap,
  ClientCredentials,
  ClientCredentialsBootstrap,
  type ClientCredentialsInit,
  OidcTokenExchange,
  OidcTokenExchangeBootstrap,
  type OidcTokenExchangeInit,
  StoredCredentials,
  type StoredCredentialsInit,
} from './bootstraps.js';
export type { DpopMode } from './auth-options.js';
export { MemoryTokenStore } from './memory-token-store.js';
export type { CachedToken, TokenStore } from './token-store.js';
export type { RedisClient } from './redis-client-adapter.js';
export { RedisTokenStore, type RedisTokenStoreOptions } from './redis-token-store.js';
