/**
 * Writing a signed-in profile (contract auth §9 "Persisting"): under the credentials-file
 * lock, one profile replaced, every other profile left untouched, written atomically (dir 0700,
 * file 0600). Removing a profile deletes the file when it was the last.
 */
import { acquireCredentialsLock } from '../credentials-lock.js';
import { formatExpiry, writeCredentialsProfile } from '../credentials-file.js';
import type { CredentialsLocation } from '../../auth/node-auth.js';
import { nodeFs } from '../node-fs.js';
import type { ParsedTokenResponse } from '../../auth/token-endpoint.js';
import { writeFileAtomic, randomHex } from '../atomic-file-write.js';
import { CLI_CLIENT_ID } from './login-token.js';
import { readCredentialsFileStrict } from './stored-profile.js';

export async function withCredentialsLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  const lock = await acquireCredentialsLock(path);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}

export interface PersistedLogin {
  tenant: string | undefined;
  scope: string;
  hasRefreshToken: boolean;
}

export async function persistLogin(
  location: CredentialsLocation,
  token: ParsedTokenResponse,
  context: { baseUrl: string; tenantHint: string | undefined; now: number },
): Promise<PersistedLogin> {
  const tenant = token.tenant ?? context.tenantHint;
  const scope = token.scope?.join(' ') ?? '';
  await withCredentialsLock(location.path, async () => {
    // A corrupt file is refused (typed error), never silently replaced.
    await readCredentialsFileStrict(location.path);
    await writeCredentialsProfile(location, {
      tenant,
      base_url: context.baseUrl,
      client_id: token.clientId ?? CLI_CLIENT_ID,
      refresh_token: token.refreshToken,
      access_token: token.accessToken,
      access_token_expires_at: formatExpiry(context.now + token.expiresIn * 1000),
      scope,
    });
  });
  return { tenant, scope, hasRefreshToken: token.refreshToken !== undefined };
}

/** Removes one profile under the lock; deletes the file when no profile is left. True when it existed. */
export async function removeProfile(location: CredentialsLocation): Promise<boolean> {
  return withCredentialsLock(location.path, async () => {
    const document = await readCredentialsFileStrict(location.path);
    if (!document || !Object.hasOwn(document.profiles, location.profile)) return false;
    delete document.profiles[location.profile];
    if (Object.keys(document.profiles).length === 0) {
      await (await nodeFs()).unlink(location.path);
    } else {
      const out = { ...document, version: document.version ?? 1 };
      await writeFileAtomic(location.path, `${JSON.stringify(out, null, 2)}\n`, () => `.credentials-${randomHex(8)}.tmp`);
    }
    return true;
  });
}
