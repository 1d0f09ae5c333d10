/**
 * The Authenticator behind every client: bootstrap resolution (explicit or auto-detected),
 * the token cache with refresh-ahead and stale fallback, single-flight minting (one
 * promise per process, the token store's lock across processes), DPoP keys, proofs and
 * nonces. Contract auth §1–§5.
 */
import { APIUserAbortError, BootstrapError, KnoxCallError, NotAuthenticatedError, isKnoxCallError } from '../errors.js';
import { Redacted } from '../redacted.js';
import { raceAbort } from '../transport/abort.js';
import type { ResponseHeaderReader } from '../transport/direct-sender.js';
import type { DpopMode } from './auth-options.js';
import type { Authenticator, AuthenticatorConfig, Credential } from './authenticator.js';
import { base64, utf8 } from './base64.js';
import { AccessToken, ClientCredentials, OidcTokenExchange, type ResolvedBootstrap, StoredCredentials } from './bootstraps.js';
import { credentialIdentity, tokenCacheKey } from './cache-key.js';
import { explicitBootstrap, validDpopMode, validScopes } from './credential-options.js';
import { DpopKeyPair } from './dpop-key-pair.js';
import { DpopNonceBook, isDpopNonceChallenge } from './dpop-nonces.js';
import { MemoryTokenStore } from './memory-token-store.js';
import { oidcExchangeFailure, oidcExchangeForm } from './oidc-exchange-mint.js';
import { LookupDeadline, isStoreUnavailable, runUnderLock, withinMs } from './store-deadline.js';
import type { CredentialsLocation } from './node-auth.js';
import { cachedTokenFrom, parseTokenResponse, postTokenForm, tokenEndpointError, tokenEndpointUrl } from './token-endpoint.js';
import { FALLBACK_LIFETIME_SECONDS, isFresh, isUsableStale } from './token-freshness.js';
import type { CachedToken, TokenStore } from './token-store.js';
import { detectWorkloadIdentity } from './workload-sources.js';

const NOTHING_FOUND =
  'no KnoxCall credentials found (no env token, no credentials file, no workload identity): run `knoxcall login`, set KNOXCALL_ACCESS_TOKEN (or KNOXCALL_API_KEY, or KNOXCALL_CLIENT_ID and KNOXCALL_CLIENT_SECRET), or pass accessToken / clientId and clientSecret to the client';

const DPOP_WITHOUT_KEY = 'server issued a DPoP-bound token but this client holds no DPoP keypair — construct the client with dpop: "always"';

/** A credential plus the key thumbprint it is bound to (internal). */
interface BoundCredential extends Credential {
  readonly cnfJkt: string | undefined;
}

function assertTokenStore(value: unknown): TokenStore {
  const store = value as Partial<TokenStore> | null;
  if (
    typeof store !== 'object' ||
    store === null ||
    typeof store.get !== 'function' ||
    typeof store.set !== 'function' ||
    typeof store.delete !== 'function' ||
    typeof store.withLock !== 'function'
  ) {
    throw new KnoxCallError('tokenStore must implement get, set, delete and withLock');
  }
  return store as TokenStore;
}

export class TokenAuthenticator implements Authenticator {
  readonly #config: AuthenticatorConfig;
  readonly #now: () => number;
  readonly #store: TokenStore;
  readonly #scopes: string[];
  readonly #dpopMode: DpopMode;
  /** The tenant as configured at construction: part of the cache key, which must not follow a tenant discovered later. */
  readonly #keyTenant: string | undefined;
  /** The cache key (`cache-key.ts`), computed once the credential is known (see `#baseKey`); `#storeKey()` adds DPoP scoping. */
  #baseCacheKey: string | undefined;
  readonly #explicit: ResolvedBootstrap | undefined;
  /** Where an explicit StoredCredentials reads from (resolved at construction, no I/O). */
  readonly #storedLocation: CredentialsLocation | undefined;
  readonly #nonces = new DpopNonceBook();
  /** The auto-detected bootstrap, kept for the client's lifetime once found. */
  #detected: ResolvedBootstrap | undefined;
  #detecting: Promise<ResolvedBootstrap> | undefined;
  #detectedLocation: CredentialsLocation | undefined;
  #keyPair: DpopKeyPair | undefined;
  #keyPairPending: Promise<DpopKeyPair> | undefined;
  #inflight: Promise<CachedToken> | undefined;
  /**
   * The token minted while the store was failing, used instead of the store until it
   * answers again — so a store outage costs one mint per token lifetime, not one per call.
   */
  #withoutStore: CachedToken | undefined;
  #inflightWithoutStore: Promise<CachedToken> | undefined;
  /**
   * The token the server refused (a 401) while the store could not delete it: read back from
   * the store it is a miss, so the re-mint does not send it again.
   */
  #rejected: string | undefined;
  #seeded: Promise<void> | undefined;
  #lastCredential: { token: CachedToken; credential: BoundCredential } | undefined;
  /** The header record `unsignedAuthorizationHeaders` last built, for the credential it was built for (read-only). */
  #lastUnsigned: { credential: Credential; headers: Readonly<Record<string, string>> } | undefined;
  /**
   * True when the store is the private MemoryTokenStore made here: only this authenticator
   * writes it, so the last credential handed out is exactly what the store holds until we
   * change it (`peekCredential`). A caller's store may be shared and is always read.
   */
  readonly #ownsStore: boolean;
  /** Bumped by invalidate/signOut: a lookup that started before a purge must not be remembered after it. */
  #purges = 0;

  constructor(config: AuthenticatorConfig) {
    this.#config = config;
    this.#now = config.now ?? Date.now;
    const options = config.options ?? {};
    this.#dpopMode = validDpopMode(options.dpop);
    this.#explicit = explicitBootstrap(options);
    this.#scopes = validScopes(options.scope);
    this.#ownsStore = options.tokenStore == null;
    this.#store = this.#ownsStore ? new MemoryTokenStore() : assertTokenStore(options.tokenStore!);

    let storedLocation: CredentialsLocation | undefined;
    if (this.#explicit instanceof StoredCredentials) {
      const nodeAuth = config.platform.nodeAuth;
      if (!nodeAuth) {
        throw new BootstrapError(
          'StoredCredentials needs a filesystem: the credentials file is not available on this runtime — pass accessToken or clientId/clientSecret instead',
        );
      }
      storedLocation = nodeAuth.resolveCredentialsLocation(this.#explicit, (name) => config.platform.getEnv(name));
    }
    this.#storedLocation = storedLocation;
    // A snapshot: the key must not follow a tenant discovered later (contract auth §3.1).
    // The key itself is computed at the first token lookup — it hashes the credential, and
    // clients that never call KnoxCall (e.g. per-request views) pay nothing for it.
    this.#keyTenant = config.state.tenant;
    if (this.#dpopMode === 'always') {
      this.#keyPairPending = DpopKeyPair.generate(config.platform.nodeAuth?.syncEs256Signer).then((pair) => {
        this.#keyPair = pair;
        return pair;
      });
      // Surfaced on first use; never an unhandled rejection at construction.
      this.#keyPairPending.catch(() => {});
    }
  }

  /** The store key of this client's token right now (contract auth §3.1, DPoP-scoped: `#storeKey`). */
  get cacheKey(): string {
    return this.#storeKey();
  }

  /**
   * Our choice (deviation from contract auth §3.1): while this client holds a DPoP key pair,
   * its entry is `{contract key}#jkt={key thumbprint}`. A DPoP-bound token is useless to any
   * other key holder (its proofs would not match `cnf.jkt`), and key pairs never leave their
   * client, so sharing one entry between DPoP clients only makes them overwrite each other's
   * token and mint on every call. Bearer clients keep the contract's layout, so a shared store
   * still interoperates with the official Node SDK for them.
   *
   * In `auto` mode the key pair appears during a mint (the `invalid_dpop_proof` upgrade), so
   * the key changes at that moment: that mint runs under the lock of the old (Bearer) key —
   * no other client can write the new key, which is private to our key pair, and the
   * in-process single-flight promise covers our own callers — and is stored under the new
   * key; from then on the old Bearer entry is never read again.
   */
  #storeKey(): string {
    const keyPair = this.#keyPair;
    const base = this.#baseKey();
    return keyPair ? `${base}#jkt=${keyPair.thumbprint}` : base;
  }

  /**
   * The key of the credential this client uses: an explicit one is known at once, an
   * auto-detected one once `#resolveIdentity()` ran (every entry point awaits it first).
   */
  #baseKey(): string {
    if (this.#baseCacheKey !== undefined) return this.#baseCacheKey;
    const bootstrap = this.#explicit ?? this.#detected;
    if (bootstrap === undefined) {
      throw new KnoxCallError('the token cache key is not known before the credential is (make a call first)');
    }
    const identity = credentialIdentity(bootstrap, this.#storedLocation ?? this.#detectedLocation);
    this.#baseCacheKey = tokenCacheKey({ tenant: this.#keyTenant, identity, scopes: this.#scopes });
    return this.#baseCacheKey;
  }

  /** Auto-detects the credential when none was given, so that `#baseKey()` can name it. */
  async #resolveIdentity(): Promise<void> {
    if (this.#explicit === undefined && this.#detected === undefined) await this.#bootstrap();
  }

  /** The store key once the credential is known and a key pair generated at construction (`always`) is ready. */
  async #settledStoreKey(): Promise<string> {
    await this.#resolveIdentity();
    if (this.#keyPairPending && !this.#keyPair) await this.#keyPairPending.catch(() => {});
    return this.#storeKey();
  }

  async getCredential(signal?: AbortSignal, timeoutMs: number = this.#config.timeoutMs): Promise<Credential> {
    if (signal?.aborted) throw new APIUserAbortError();
    const purges = this.#purges;
    // Both are one-time waits; the checks keep the warm path to a single store read.
    if (this.#keyPairPending && !this.#keyPair) await this.#keyPairPending;
    if (this.#storedLocation) await this.#seedFromExplicitFile();
    if (this.#explicit === undefined && this.#detected === undefined) await this.#bootstrap();
    const deadline = new LookupDeadline(timeoutMs);
    const key = this.#storeKey();
    let cached: CachedToken | null;
    try {
      cached = await withinMs(() => this.#store.get(key), deadline.storeMs(), 'get');
    } catch (error) {
      if (!isStoreUnavailable(error)) throw error;
      const token = await raceAbort(this.#mintWithoutStore(deadline), signal, () => new APIUserAbortError());
      return this.#credentialFor(token, purges);
    }
    if (cached && this.#usable(cached) && isFresh(cached, this.#now())) return this.#credentialFor(cached, purges);
    if (!this.#inflight) {
      this.#inflight = this.#refresh(deadline).finally(() => {
        this.#inflight = undefined;
      });
    }
    const token = await raceAbort(this.#inflight, signal, () => new APIUserAbortError());
    return this.#credentialFor(token, purges);
  }

  /**
   * The warm path without a store read: the credential `getCredential` last returned, while
   * the store is our private one (so it still holds exactly that token) and the token is
   * still fresh by the same refresh-ahead rule. Anything else — a caller's (possibly shared)
   * store, a key pair still being generated, a purge, a token inside its refresh-ahead
   * window — is `undefined`, and the caller takes `getCredential`.
   */
  peekCredential(): Credential | undefined {
    const last = this.#lastCredential;
    if (last === undefined || !this.#ownsStore) return undefined;
    if (this.#keyPairPending && !this.#keyPair) return undefined;
    const { token } = last;
    if (!this.#boundToUs(token) || !isFresh(token, this.#now())) return undefined;
    if (token.tenant && this.#config.state.tenant === undefined) this.#config.state.tenant = token.tenant;
    return last.credential;
  }

  async authorizationHeaders(method: string, url: string, credential: Credential): Promise<Record<string, string>> {
    const token = credential.accessToken.expose();
    const keyPair = this.#keyPair;
    if (credential.tokenType === 'DPoP' && keyPair) {
      const proof = await keyPair.sign({ method, url, accessToken: token, nonce: this.#nonces.nonceFor(url) });
      return { authorization: `DPoP ${token}`, dpop: proof };
    }
    return { authorization: `${credential.tokenType} ${token}` };
  }

  unsignedAuthorizationHeaders(credential: Credential): Readonly<Record<string, string>> | undefined {
    // A DPoP-bound credential needs a freshly signed proof (async): `authorizationHeaders` does that.
    if (credential.tokenType === 'DPoP' && this.#keyPair) return undefined;
    // Every warm call presents the same credential object: build its header record once.
    const last = this.#lastUnsigned;
    if (last !== undefined && last.credential === credential) return last.headers;
    const headers = { authorization: `${credential.tokenType} ${credential.accessToken.expose()}` };
    this.#lastUnsigned = { credential, headers };
    return headers;
  }

  observeResponse(url: string, headers: ResponseHeaderReader): void {
    this.#nonces.remember(url, headers);
  }

  isNonceChallenge(status: number, headers: ResponseHeaderReader, credential: Credential): boolean {
    if (credential.tokenType !== 'DPoP' || !this.#keyPair) return false;
    return isDpopNonceChallenge(status, headers);
  }

  async invalidate(): Promise<void> {
    const refused = this.#lastCredential?.token.accessToken.expose();
    // After a 401 the call goes on to re-mint: a store that cannot delete must not stop it,
    // and the refused token it still holds must not come back (`#usable`).
    await this.#purge().catch((error: unknown) => {
      if (!isStoreUnavailable(error)) throw error;
      this.#rejected = refused;
    });
  }

  async signOut(): Promise<void> {
    await this.#purge();
  }

  async #purge(): Promise<void> {
    this.#purges += 1;
    this.#lastCredential = undefined;
    this.#withoutStore = undefined;
    let key: string;
    try {
      key = await this.#settledStoreKey();
    } catch (error) {
      // No credential can be found: nothing was ever cached under one.
      if (error instanceof NotAuthenticatedError) return;
      throw error;
    }
    await withinMs(() => this.#store.delete(key), new LookupDeadline(this.#config.timeoutMs).storeMs(), 'delete');
  }

  // ---- get-or-refresh -------------------------------------------------------------

  /**
   * Get-or-refresh under the store's lock (contract auth §3.3), every store operation within
   * the lookup's store budget (`store-deadline.ts`). A store that fails or stays silent is
   * bypassed: the token is minted without the cache (`#mintWithoutStore`).
   */
  async #refresh(deadline: LookupDeadline): Promise<CachedToken> {
    const key = this.#storeKey();
    try {
      return await runUnderLock(this.#store, key, deadline.storeMs(), () => this.#refreshLocked(key, deadline));
    } catch (error) {
      // The lock was refused or not granted in time (`#refreshLocked` never rejects with this code).
      if (isStoreUnavailable(error)) return this.#mintWithoutStore(deadline);
      // Token-endpoint statuses and network failures are KnoxCallErrors (APIConnectionError).
      if (isKnoxCallError(error)) {
        const stale = await withinMs(() => this.#store.get(this.#storeKey()), deadline.storeMs(), 'get').catch(() => null);
        if (stale && this.#usable(stale) && isUsableStale(stale, this.#now())) return stale;
      }
      throw error;
    }
  }

  async #refreshLocked(key: string, deadline: LookupDeadline): Promise<CachedToken> {
    let again: CachedToken | null;
    try {
      // Double-checked: a peer (another process sharing the store) may have minted meanwhile.
      again = await withinMs(() => this.#store.get(key), deadline.storeMs(), 'get');
    } catch (error) {
      if (isStoreUnavailable(error)) return this.#mintWithoutStore(deadline);
      throw error;
    }
    if (again && this.#usable(again) && isFresh(again, this.#now())) return again;
    const minted = await this.#mint(again);
    this.#withoutStore = undefined;
    this.#rejected = undefined;
    // Re-read the key: an `auto` upgrade during this mint moved us to the DPoP-scoped key.
    // The write gets its own half-timeout (the mint may have used the lookup's); a failed
    // write only means a later call mints again.
    const storeKey = this.#storeKey();
    await withinMs(() => this.#store.set(storeKey, minted), new LookupDeadline(this.#config.timeoutMs).storeMs(), 'set').catch(() => {});
    return minted;
  }

  /**
   * The store failed or did not answer in time: the token minted on an earlier such call
   * while still fresh, else one mint (single-flight in this process) bounded by what is
   * left of the lookup's timeout. Nothing is written to the failing store.
   */
  #mintWithoutStore(deadline: LookupDeadline): Promise<CachedToken> {
    const held = this.#withoutStore;
    if (held && this.#boundToUs(held) && isFresh(held, this.#now())) return Promise.resolve(held);
    this.#inflightWithoutStore ??= this.#mint(null, deadline.mintMs())
      .then((token) => {
        this.#withoutStore = token;
        return token;
      })
      .finally(() => {
        this.#inflightWithoutStore = undefined;
      });
    return this.#inflightWithoutStore;
  }

  /**
   * A DPoP-bound entry is only usable with the key it is bound to. With the DPoP-scoped key
   * (`#storeKey`) another key's token is not normally found at all; this still guards the
   * contract key, where a DPoP token written by another SDK (or a client without a key pair
   * reading it) would be rejected by the server, so it reads as a miss.
   */
  /** A cached token this client may use: bound to its key (DPoP) and not the one the server just refused. */
  #usable(token: CachedToken): boolean {
    return this.#boundToUs(token) && (this.#rejected === undefined || token.accessToken.expose() !== this.#rejected);
  }

  #boundToUs(token: CachedToken): boolean {
    if (token.tokenType !== 'DPoP') return true;
    return this.#keyPair !== undefined && token.cnfJkt === this.#keyPair.thumbprint;
  }

  /** `purges`: the purge count when the lookup started; a token read before a purge is handed out but not remembered. */
  #credentialFor(token: CachedToken, purges: number): BoundCredential {
    if (token.tenant && this.#config.state.tenant === undefined) this.#config.state.tenant = token.tenant;
    const last = this.#lastCredential;
    if (last && last.token === token) return last.credential;
    const value = token.accessToken.expose();
    const credential: BoundCredential = {
      tokenType: token.tokenType,
      accessToken: token.accessToken,
      isLegacyKey: token.tokenType === 'Bearer' && !value.startsWith('kc_'),
      cnfJkt: token.cnfJkt,
    };
    if (purges === this.#purges) this.#lastCredential = { token, credential };
    return credential;
  }

  // ---- bootstrap resolution -------------------------------------------------------

  async #bootstrap(): Promise<ResolvedBootstrap> {
    if (this.#explicit) return this.#explicit;
    if (this.#detected) return this.#detected;
    // Single-flight: concurrent first calls read the environment and the file once.
    this.#detecting ??= this.#autoDetect().finally(() => {
      this.#detecting = undefined;
    });
    const detected = await this.#detecting;
    this.#detected = detected;
    return detected;
  }

  /** Contract auth §1.3: env token, credentials file, workload identity (slots 3–9), env client credentials. */
  async #autoDetect(): Promise<ResolvedBootstrap> {
    const env = (name: string): string | undefined => {
      const value = this.#config.platform.getEnv(name);
      return value === undefined || value === '' ? undefined : value;
    };
    const token = env('KNOXCALL_ACCESS_TOKEN') ?? env('KNOXCALL_API_KEY');
    if (token !== undefined) return new AccessToken({ accessToken: token });

    const nodeAuth = this.#config.platform.nodeAuth;
    if (nodeAuth) {
      try {
        const location = nodeAuth.resolveCredentialsLocation({}, env);
        const profile = await nodeAuth.readStoredProfile(location, (code, message) => this.#config.platform.warnOnce(code, message));
        if (profile) {
          this.#seed(profile);
          this.#detectedLocation = location;
          return new StoredCredentials({ path: location.path, profile: location.profile });
        }
      } catch {
        // Every probe swallows its own errors and the chain continues (contract auth §1.3).
      }
    }

    const workload = await detectWorkloadIdentity({ env, fetch: this.#config.fetch, readTextFile: nodeAuth?.readTextFile });
    if (workload) return workload;

    const clientId = env('KNOXCALL_CLIENT_ID');
    const clientSecret = env('KNOXCALL_CLIENT_SECRET');
    if (clientId !== undefined && clientSecret !== undefined) return new ClientCredentials({ clientId, clientSecret });
    throw new NotAuthenticatedError(NOTHING_FOUND);
  }

  /** Explicit StoredCredentials seed tenant and base URL once, before the first request. */
  #seedFromExplicitFile(): Promise<void> {
    if (!this.#storedLocation) return Promise.resolve();
    if (!this.#seeded) {
      const nodeAuth = this.#config.platform.nodeAuth!;
      const location = this.#storedLocation;
      this.#seeded = nodeAuth
        .readStoredProfile(location, (code, message) => this.#config.platform.warnOnce(code, message))
        .then((profile) => {
          if (profile) this.#seed(profile);
        })
        .catch(() => {
          // An unreadable file surfaces as the re-login error when a token is fetched.
        });
    }
    return this.#seeded;
  }

  /** Contract auth §7.5: the file's tenant and base URL apply only where nothing explicit was set. */
  #seed(profile: { tenant: string | undefined; baseUrl: string | undefined }): void {
    const { state } = this.#config;
    if (profile.tenant && !this.#config.tenantExplicit && state.tenant === undefined) state.tenant = profile.tenant;
    if (profile.baseUrl && !this.#config.baseUrlExplicit && !this.#config.sandbox) {
      state.baseUrl = profile.baseUrl.replace(/\/+$/, '');
    }
  }

  // ---- minting --------------------------------------------------------------------

  /** `timeoutMs`: the token request's timeout when less than the client's is left (a bypassed store). */
  async #mint(previous: CachedToken | null, timeoutMs = this.#config.timeoutMs): Promise<CachedToken> {
    const bootstrap = await this.#bootstrap();
    if (bootstrap instanceof AccessToken) {
      // Contract auth §2.3: no HTTP; always presented as Bearer (our choice).
      return {
        accessToken: new Redacted(bootstrap.accessToken),
        expiresAt: this.#now() + FALLBACK_LIFETIME_SECONDS * 1000,
        scope: [...this.#scopes],
        tokenType: 'Bearer',
      };
    }
    if (bootstrap instanceof StoredCredentials) {
      const nodeAuth = this.#config.platform.nodeAuth;
      const location = this.#storedLocation ?? this.#detectedLocation;
      if (!nodeAuth || !location) {
        throw new BootstrapError('StoredCredentials needs a filesystem: the credentials file is not available on this runtime');
      }
      return nodeAuth.fetchStoredToken({
        location,
        baseUrl: this.#config.state.baseUrl,
        fetch: this.#config.fetch,
        userAgent: this.#config.userAgent,
        warnOnce: (code, message) => this.#config.platform.warnOnce(code, message),
        now: this.#now,
      });
    }
    if (bootstrap instanceof OidcTokenExchange) {
      // The same subject token on every re-mint (contract auth §8.1); a proof when keyed (§5.4).
      return this.#tokenRequest(oidcExchangeForm(bootstrap, this.#scopes), undefined, timeoutMs).catch((error: unknown) => {
        throw oidcExchangeFailure(error, bootstrap);
      });
    }
    return this.#mintClientCredentials(bootstrap, previous, timeoutMs);
  }

  async #mintClientCredentials(bootstrap: ClientCredentials, previous: CachedToken | null, timeoutMs: number): Promise<CachedToken> {
    const basic = `Basic ${base64(utf8(`${bootstrap.clientId}:${bootstrap.clientSecret}`))}`;
    // Official Node behaviour (kept, contract auth §2.1): a cached refresh token is tried first;
    // any failure falls through silently to a full client-credentials mint.
    if (previous?.refreshToken) {
      try {
        const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: previous.refreshToken.expose() });
        return await this.#tokenRequest(form, basic, timeoutMs);
      } catch {
        // fall through
      }
    }
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (this.#scopes.length > 0) form.set('scope', this.#scopes.join(' '));
    return this.#tokenRequest(form, basic, timeoutMs);
  }

  /**
   * One mint at the token endpoint, with the `auto` DPoP upgrade on `invalid_dpop_proof`
   * and the one nonce retry on `use_dpop_nonce` (each at most once, independently).
   */
  async #tokenRequest(form: URLSearchParams, authorization: string | undefined, timeoutMs: number): Promise<CachedToken> {
    const url = tokenEndpointUrl(this.#config.state.baseUrl);
    let upgraded = false;
    let nonceRetried = false;
    for (;;) {
      const keyPair = this.#keyPair;
      const headers: Record<string, string> = { 'user-agent': this.#config.userAgent };
      if (authorization) headers.authorization = authorization;
      if (keyPair) headers.dpop = await keyPair.sign({ method: 'POST', url, nonce: this.#nonces.nonceFor(url) });
      const response = await postTokenForm({
        url,
        form,
        headers,
        fetch: this.#config.fetch,
        timeoutMs,
      });
      this.#nonces.remember(url, response.headers);
      if (response.status >= 400) {
        const error = tokenEndpointError(response);
        if (error.code === 'invalid_dpop_proof' && this.#dpopMode === 'auto' && !keyPair && !upgraded) {
          upgraded = true;
          await this.#upgradeToDpop();
          continue;
        }
        if (error.code === 'use_dpop_nonce' && keyPair && !nonceRetried && response.headers.get('dpop-nonce')) {
          nonceRetried = true;
          continue;
        }
        throw error;
      }
      const parsed = parseTokenResponse(response);
      if (parsed.isDpop && !keyPair) throw new KnoxCallError(DPOP_WITHOUT_KEY);
      return cachedTokenFrom(parsed, this.#scopes, this.#now(), keyPair?.thumbprint);
    }
  }

  async #upgradeToDpop(): Promise<void> {
    if (this.#keyPair) return;
    this.#keyPairPending ??= DpopKeyPair.generate(this.#config.platform.nodeAuth?.syncEs256Signer);
    this.#keyPair = await this.#keyPairPending;
  }
}
