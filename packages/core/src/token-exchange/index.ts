export { ID_TOKEN_TYPE, KNOXCALL_AUDIENCE, TOKEN_EXCHANGE_GRANT } from './constants.js';
export { exchangeToken } from './exchange-token.js';
export type { ExchangeTokenInput, ExchangeTokenOptions, ExchangeTokenResponse } from './exchange-token.js';
export {
  ADVISORY_REFRESH_MS,
  MANDATORY_REFRESH_MS,
  WorkloadCredentialProvider,
  type WorkloadCredentialProviderOptions,
} from './workload-credential-provider.js';
