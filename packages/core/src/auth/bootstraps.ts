/**
 * Credential sources (contract auth §1.2). Each class hides its secrets from
 * `util.inspect`, `JSON.stringify` and string conversion; `clientId` stays visible so a
 * misconfigured client can still be told apart in logs.
 */
import { BootstrapError } from '../errors.js';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');
const REDACTED = '[REDACTED]';

/** A pre-acquired access token or API key: no HTTP to the token endpoint. */
export class AccessToken {
  readonly type = 'access_token' as const;
  readonly #accessToken: string;

  constructor(options: { accessToken: string }) {
    const accessToken = (options as { accessToken?: unknown } | undefined)?.accessToken;
    if (typeof accessToken !== 'string') {
      throw new BootstrapError('AccessToken requires { accessToken: string }');
    }
    this.#accessToken = accessToken;
  }

  /** The token itself. Only code that builds the Authorization header should read it. */
  get accessToken(): string {
    return this.#accessToken;
  }

  toJSON(): Record<string, string> {
    return { type: this.type, accessToken: REDACTED };
  }

  [INSPECT](): string {
    return `AccessToken { accessToken: '${REDACTED}' }`;
  }
}

/** The OAuth client-credentials grant. */
export class ClientCredentials {
  readonly type = 'client_credentials' as const;
  readonly clientId: string;
  readonly #clientSecret: string;

  constructor(options: { clientId: string; clientSecret: string }) {
    const { clientId, clientSecret } = (options ?? {}) as { clientId?: unknown; clientSecret?: unknown };
    if (typeof clientId !== 'string' || typeof clientSecret !== 'string') {
      throw new BootstrapError('ClientCredentials requires { clientId: string, clientSecret: string }');
    }
    this.clientId = clientId;
    this.#clientSecret = clientSecret;
  }

  /** The client secret. Only code that builds the Basic header should read it. */
  get clientSecret(): string {
    return this.#clientSecret;
  }

  toJSON(): Record<string, string> {
    return { type: this.type, clientId: this.clientId, clientSecret: REDACTED };
  }

  [INSPECT](): string {
    return `ClientCredentials { clientId: ${JSON.stringify(this.clientId)}, clientSecret: '${REDACTED}' }`;
  }
}

/**
 * A cloud/CI OIDC identity (an ID token the platform issued for this workload) exchanged at
 * the management token endpoint for a KnoxCall token (contract auth §2.1, audience
 * `knoxcall:api`). The same subject token is re-posted on every re-mint. `issuer` is a label
 * for messages only; it is never sent.
 */
export class OidcTokenExchange {
  readonly type = 'oidc_token_exchange' as const;
  readonly issuer: string | undefined;
  readonly #subjectToken: string;

  constructor(options: { subjectToken: string; issuer?: string | undefined }) {
    const { subjectToken, issuer } = (options ?? {}) as { subjectToken?: unknown; issuer?: unknown };
    if (typeof subjectToken !== 'string' || subjectToken === '') {
      throw new BootstrapError('OidcTokenExchange requires { subjectToken: string } — the OIDC ID token your platform issued');
    }
    if (issuer != null && typeof issuer !== 'string') throw new BootstrapError('OidcTokenExchange: issuer must be a string');
    this.#subjectToken = subjectToken;
    this.issuer = issuer ?? undefined;
  }

  /** The subject token. Only code that builds the token-exchange form should read it. */
  get subjectToken(): string {
    return this.#subjectToken;
  }

  toJSON(): Record<string, string | undefined> {
    return { type: this.type, issuer: this.issuer, subjectToken: REDACTED };
  }

  [INSPECT](): string {
    return `OidcTokenExchange { issuer: ${JSON.stringify(this.issuer)}, subjectToken: '${REDACTED}' }`;
  }
}

/** The CLI credentials file written by `knoxcall login` (Node only; contract auth §7). */
export class StoredCredentials {
  readonly type = 'stored_credentials' as const;
  /** Credentials-file path; default `KNOXCALL_CREDENTIALS_FILE` or `~/.knoxcall/credentials.json`. */
  readonly path: string | undefined;
  /** Profile name; default `KNOXCALL_PROFILE` or `default`. */
  readonly profile: string | undefined;

  constructor(options: { path?: string | undefined; profile?: string | undefined } = {}) {
    const { path, profile } = (options ?? {}) as { path?: unknown; profile?: unknown };
    if (path != null && typeof path !== 'string') throw new BootstrapError('StoredCredentials: path must be a string');
    if (profile != null && typeof profile !== 'string') {
      throw new BootstrapError('StoredCredentials: profile must be a string');
    }
    this.path = path ?? undefined;
    this.profile = profile ?? undefined;
  }
}

/** @deprecated use `AccessToken` (same class). */
export const AccessTokenBootstrap = AccessToken;
/** @deprecated use `AccessToken` (same class). */
export type AccessTokenBootstrap = AccessToken;
/** @deprecated use `ClientCredentials` (same class). */
export const ClientCredentialsBootstrap = ClientCredentials;
/** @deprecated use `ClientCredentials` (same class). */
export type ClientCredentialsBootstrap = ClientCredentials;
/** @deprecated use `OidcTokenExchange` (same class). */
export const OidcTokenExchangeBootstrap = OidcTokenExchange;
/** @deprecated use `OidcTokenExchange` (same class). */
export type OidcTokenExchangeBootstrap = OidcTokenExchange;

/** Plain-object forms accepted wherever a bootstrap instance is (contract auth §1.2, our choice). */
export type AccessTokenInit = { type: 'access_token'; accessToken: string };
export type ClientCredentialsInit = { type: 'client_credentials'; clientId: string; clientSecret: string };
export type OidcTokenExchangeInit = { type: 'oidc_token_exchange'; subjectToken: string; issuer?: string | undefined };
export type StoredCredentialsInit = { type: 'stored_credentials'; path?: string | undefined; profile?: string | undefined };

export type Bootstrap =
  | AccessToken
  | ClientCredentials
  | OidcTokenExchange
  | StoredCredentials
  | AccessTokenInit
  | ClientCredentialsInit
  | OidcTokenExchangeInit
  | StoredCredentialsInit;

/** A bootstrap as the authenticator uses it: always a class instance. */
export type ResolvedBootstrap = AccessToken | ClientCredentials | OidcTokenExchange | StoredCredentials;

/** Turns an instance or a plain object into an instance; anything else is a `BootstrapError`. */
export function toBootstrapInstance(value: unknown): ResolvedBootstrap {
  if (value instanceof AccessToken || value instanceof ClientCredentials || value instanceof OidcTokenExchange || value instanceof StoredCredentials) {
    return value;
  }
  if (typeof value === 'object' && value !== null) {
    const init = value as Record<string, unknown>;
    switch (init.type) {
      case 'access_token':
        return new AccessToken(init as AccessTokenInit);
      case 'client_credentials':
        return new ClientCredentials(init as ClientCredentialsInit);
      case 'stored_credentials':
        return new StoredCredentials(init as StoredCredentialsInit);
      case 'oidc_token_exchange':
        return new OidcTokenExchange(init as OidcTokenExchangeInit);
    }
  }
  throw new BootstrapError(
    'bootstrap must be an AccessToken, ClientCredentials, OidcTokenExchange or StoredCredentials instance, or a plain object with type "access_token", "client_credentials", "oidc_token_exchange" or "stored_credentials"',
  );
}
