/** `client.account` (contract resources §8). */
import type { Account, AccountUsage } from './account.types.js';
import type { Endpoints, RequestOptions } from './define/index.js';

export interface AccountResource {
  get(opts?: RequestOptions): Promise<Account>;
  getUsage(opts?: RequestOptions): Promise<AccountUsage>;
}

export function createAccount(api: Endpoints): AccountResource {
  return {
    get: (opts) => api.getOne('/v1/account', undefined, opts),
    getUsage: (opts) => api.getOne('/v1/account/usage', undefined, opts),
  };
}
