/**
 * Node only. Getting a token out of the CLI credentials file (contract auth §7.4): a fresh
 * stored access token is used as-is (no lock, no HTTP); otherwise, under the file lock,
 * the single-use refresh token is exchanged and the rotated one written back BEFORE the
 * lock is released, so concurrent processes never burn the same refresh token twice.
 */
import { AuthenticationError, type KnoxCallError } from '../errors.js';
import { Redacted } from '../redacted.js';
import { acquireCredentialsLock, type CredentialsLockOptions } from './credentials-lock.js';
import { type CredentialsRecord, formatExpiry, parseExpiry, readCredentialsRecord, recordScope, writeCredentialsProfile } from './credentials-file.js';
import type { StoredTokenRequest } from '../auth/node-auth.js';
import { parseTokenResponse, postTokenForm, tokenEndpointError, tokenEndpointUrl } from '../auth/token-endpoint.js';
import type { CachedToken } from '../auth/token-store.js';

export const RELOGIN_MESSAGE = 'stored CLI credentials are no longer valid — run `knoxcall login` again';

/** A stored access token is used only with more than 60 s left. */
const FAST_PATH_MIN_MS = 60_000;
const REFRESH_TIMEOUT_MS = 30_000;

const nonEmpty = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function fastPath(record: CredentialsRecord, now: number): CachedToken | null {
  const accessToken = nonEmpty(record.access_token);
  const expiresAt = parseExpiry(record.access_token_expires_at);
  if (accessToken === undefined || expiresAt === undefined || expiresAt - now <= FAST_PATH_MIN_MS) return null;
  // No refresh token and no lifetime in the cache entry: the file stays the only owner of those.
  return {
    accessToken: new Redacted(accessToken),
    expiresAt,
    scope: recordScope(record),
    tokenType: 'Bearer',
    tenant: nonEmpty(record.tenant),
  };
}

/** A missing, unreadable or corrupt file, or no such profile: the re-login error, naming where we looked. */
const noProfile = (location: StoredTokenRequest['location']) =>
  new AuthenticationError(`${RELOGIN_MESSAGE} (no usable profile "${location.profile}" in ${location.path})`);

export async function fetchStoredToken(request: StoredTokenRequest, lockOptions?: CredentialsLockOptions): Promise<CachedToken> {
  const { location } = request;
  const first = await readCredentialsRecord(location, request.warnOnce);
  if (!first) throw noProfile(location);
  const quick = fastPath(first, request.now());
  if (quick) return quick;

  const lock = await acquireCredentialsLock(location.path, lockOptions);
  try {
    // A peer may have refreshed while we waited for the lock.
    const record = await readCredentialsRecord(location, request.warnOnce);
    if (!record) throw noProfile(location);
    const again = fastPath(record, request.now());
    if (again) return again;
    return await refreshAndWriteBack(request, record);
  } finally {
    await lock.release();
  }
}

async function refreshAndWriteBack(request: StoredTokenRequest, record: CredentialsRecord): Promise<CachedToken> {
  const refreshToken = nonEmpty(record.refresh_token);
  const clientId = nonEmpty(record.client_id);
  if (refreshToken === undefined || clientId === undefined) throw new AuthenticationError(RELOGIN_MESSAGE);

  // A public client: no secret, no Basic, never a DPoP proof (contract auth §2.1, §5.4).
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId });
  const response = await postTokenForm({
    url: tokenEndpointUrl(request.baseUrl),
    form,
    headers: { 'user-agent': request.userAgent },
    fetch: request.fetch,
    timeoutMs: REFRESH_TIMEOUT_MS,
  });
  if (response.status >= 400) {
    const error: KnoxCallError = tokenEndpointError(response);
    if (error.code === 'invalid_grant') {
      throw new AuthenticationError(RELOGIN_MESSAGE, {
        code: 'invalid_grant',
        status: error.status,
        requestId: error.requestId,
        headers: error.headers,
        body: error.body,
      });
    }
    throw error;
  }
  const parsed = parseTokenResponse(response);
  const now = request.now();
  const expiresAt = now + parsed.expiresIn * 1000;
  await writeCredentialsProfile(request.location, {
    access_token: parsed.accessToken,
    access_token_expires_at: formatExpiry(expiresAt),
    // Rotation: only what the server actually returned replaces the stored values.
    ...(parsed.refreshToken !== undefined ? { refresh_token: parsed.refreshToken } : {}),
    ...(parsed.scope !== undefined ? { scope: parsed.scope.join(' ') } : {}),
    ...(parsed.tenant !== undefined ? { tenant: parsed.tenant } : {}),
    ...(parsed.clientId !== undefined ? { client_id: parsed.clientId } : {}),
  });
  return {
    accessToken: new Redacted(parsed.accessToken),
    expiresAt,
    lifetime: parsed.expiresIn * 1000,
    scope: parsed.scope ?? recordScope(record),
    tokenType: 'Bearer',
    tenant: parsed.tenant ?? nonEmpty(record.tenant),
  };
}
