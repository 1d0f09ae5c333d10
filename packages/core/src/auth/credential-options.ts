/**
 * Construction-time validation of the credential options (contract auth §1.1): conflicts
 * are `BootstrapError`s naming them, checked in the contract's order, before any I/O.
 */
import { BootstrapError, KnoxCallError } from '../errors.js';
import type { AuthOptions, DpopMode } from './auth-options.js';
import { AccessToken, ClientCredentials, type ResolvedBootstrap, toBootstrapInstance } from './bootstraps.js';

const provided = (value: unknown): boolean => value !== undefined && value !== null;

/** The explicit credential source, or undefined when auto-detection must run at first use. */
export function explicitBootstrap(options: AuthOptions): ResolvedBootstrap | undefined {
  const flat = (['clientId', 'clientSecret', 'accessToken', 'apiKey'] as const).filter((name) => provided(options[name]));
  if (provided(options.bootstrap) && flat.length > 0) {
    throw new BootstrapError(`bootstrap cannot be combined with ${flat.join(', ')}`);
  }
  const hasAccessToken = provided(options.accessToken);
  const hasApiKey = provided(options.apiKey);
  const hasId = provided(options.clientId);
  const hasSecret = provided(options.clientSecret);
  if (hasAccessToken && hasApiKey) throw new BootstrapError('pass either accessToken or apiKey, not both');
  if ((hasAccessToken || hasApiKey) && (hasId || hasSecret)) {
    throw new BootstrapError('a token credential cannot be combined with clientId/clientSecret');
  }
  if (hasId !== hasSecret) throw new BootstrapError('clientId and clientSecret must be provided together');

  if (provided(options.bootstrap)) return toBootstrapInstance(options.bootstrap);
  if (hasAccessToken || hasApiKey) {
    const token = hasAccessToken ? options.accessToken : options.apiKey;
    if (typeof token !== 'string') throw new BootstrapError('accessToken / apiKey must be a string');
    return new AccessToken({ accessToken: token });
  }
  if (hasId) {
    if (typeof options.clientId !== 'string' || typeof options.clientSecret !== 'string') {
      throw new BootstrapError('clientId and clientSecret must be strings');
    }
    return new ClientCredentials({ clientId: options.clientId, clientSecret: options.clientSecret });
  }
  return undefined;
}

export function validDpopMode(value: unknown): DpopMode {
  if (value === undefined || value === null) return 'auto';
  if (value === 'auto' || value === 'always' || value === 'never') return value;
  throw new KnoxCallError(`invalid dpop mode ${JSON.stringify(String(value))}: dpop must be "auto", "always" or "never"`);
}

/** The requested scopes, validated: an array of strings (empty entries dropped). */
export function validScopes(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((s) => typeof s !== 'string')) {
    throw new KnoxCallError('scope must be an array of strings');
  }
  return (value as string[]).filter((s) => s !== '');
}
