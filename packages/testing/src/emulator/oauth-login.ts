import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { EmulatorCore } from './core.js';
import { OAuthError } from './errors.js';
import { b64url, opaqueToken } from './ids.js';
import type { Reply } from './reply.js';
import { CLI_CLIENT_ALIAS } from './seed.js';
import type { EmulatorState, OAuthClientRow } from './state.js';

/**
 * The interactive login surface of auth.md §9, made non-interactive for tests:
 * - `GET /oauth/authorize` consents at once and redirects (302) to the loopback `redirect_uri`
 *   with `code` and `state`; the code is single-use, 60 s, PKCE S256-bound.
 * - `POST /oauth/device_authorization` starts a device flow that stays `authorization_pending`
 *   until the test calls `approveDevice(userCode)` (or denies it).
 * - `POST /oauth/revoke` (RFC 7009) always answers 200 and forgets the token if known.
 * The token grants themselves are served by oauth-token.ts.
 */

const CODE_TTL_MS = 60_000;
const DEVICE_TTL_S = 900;

export interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  expiresAtMs: number;
  used: boolean;
}

export interface DeviceAuthorization {
  clientId: string;
  userCode: string;
  expiresAtMs: number;
  /** Current polling interval (s); grows by 5 on every `slow_down`. */
  intervalS: number;
  /** When the client last polled (ms), to detect polling faster than the interval. */
  lastPollMs: number | undefined;
  decision: 'pending' | 'approved' | 'denied';
  used: boolean;
}

export const authorizationCodes = (state: EmulatorState) => state.store('oauth.codes', () => new Map<string, AuthorizationCode>());
export const deviceAuthorizations = (state: EmulatorState) => state.store('oauth.devices', () => new Map<string, DeviceAuthorization>());

/** The tenant's OAuth client by id; `knoxcall-cli` is an alias of the real public CLI client. */
export function findOAuthClient(state: EmulatorState, clientId: string): OAuthClientRow | undefined {
  for (const c of state.oauthClients.values()) {
    if (c.client_id === clientId || (clientId === CLI_CLIENT_ALIAS && c.system_role === 'cli')) return c;
  }
  return undefined;
}

function isLoopbackRedirect(uri: string): boolean {
  try {
    const u = new URL(uri);
    return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  } catch {
    return false;
  }
}

const page = (status: number, message: string): Reply => ({
  status,
  text: `<!doctype html><title>KnoxCall emulator</title><p>${message}</p>`,
  contentType: 'text/html; charset=utf-8',
});

export function handleAuthorize(core: EmulatorCore, url: URL): Reply {
  const q = url.searchParams;
  const client = findOAuthClient(core.state, q.get('client_id') ?? '');
  const redirectUri = q.get('redirect_uri') ?? '';
  // Never redirect to an unverified target: errors about the client or redirect are shown here.
  if (!client?.active) return page(400, 'Unknown client_id.');
  if (!isLoopbackRedirect(redirectUri) && !client.redirect_uris.includes(redirectUri))
    return page(400, 'redirect_uri must be a loopback URL or registered for this client.');
  const back = new URL(redirectUri);
  const state = q.get('state');
  if (state !== null) back.searchParams.set('state', state);
  const challenge = q.get('code_challenge');
  if (q.get('response_type') !== 'code') back.searchParams.set('error', 'unsupported_response_type');
  else if (!challenge || q.get('code_challenge_method') !== 'S256') {
    back.searchParams.set('error', 'invalid_request');
    back.searchParams.set('error_description', 'PKCE with code_challenge_method=S256 is required');
  } else {
    const code = opaqueToken('kc_code_', 16);
    authorizationCodes(core.state).set(code, { clientId: client.client_id, redirectUri, challenge, expiresAtMs: core.now() + CODE_TTL_MS, used: false });
    back.searchParams.set('code', code);
  }
  return { status: 302, headers: { location: back.toString(), 'cache-control': 'no-store' } };
}

/** `authorization_code` grant: the code, the same redirect_uri and a verifier matching the S256 challenge. */
export function redeemAuthorizationCode(core: EmulatorCore, form: URLSearchParams): OAuthClientRow {
  const code = form.get('code') ?? '';
  const entry = authorizationCodes(core.state).get(code);
  if (!entry || entry.used || entry.expiresAtMs <= core.now())
    throw new OAuthError(400, 'invalid_grant', 'Authorization code is invalid, expired or already used');
  entry.used = true;
  const client = findOAuthClient(core.state, form.get('client_id') ?? '');
  if (!client || client.client_id !== entry.clientId) throw new OAuthError(400, 'invalid_grant', 'Authorization code was issued to another client');
  if (form.get('redirect_uri') !== entry.redirectUri) throw new OAuthError(400, 'invalid_grant', 'redirect_uri does not match the authorization request');
  const verifier = form.get('code_verifier') ?? '';
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || b64url(createHash('sha256').update(verifier).digest()) !== entry.challenge) {
    throw new OAuthError(400, 'invalid_grant', 'code_verifier does not match the code_challenge');
  }
  return client;
}

export function handleDeviceAuthorization(core: EmulatorCore, req: IncomingMessage, body: Buffer, baseUrl: string): Reply {
  if (req.method !== 'POST') throw new OAuthError(405, 'invalid_request', 'Use POST');
  const form = new URLSearchParams(body.toString('utf8'));
  const client = findOAuthClient(core.state, form.get('client_id') ?? '');
  if (!client) throw new OAuthError(401, 'invalid_client', 'Unknown client_id');
  const deviceCode = opaqueToken('kc_dc_', 24);
  const letters = 'BCDFGHJKLMNPQRSTVWXZ';
  const raw = [...randomBytes(8)].map((b) => letters[b % letters.length]).join('');
  const userCode = `${raw.slice(0, 4)}-${raw.slice(4)}`;
  const interval = core.options.deviceIntervalSeconds ?? 5;
  deviceAuthorizations(core.state).set(deviceCode, {
    clientId: client.client_id,
    userCode,
    expiresAtMs: core.now() + DEVICE_TTL_S * 1000,
    intervalS: interval,
    lastPollMs: undefined,
    decision: 'pending',
    used: false,
  });
  return {
    status: 200,
    headers: { 'cache-control': 'no-store' },
    body: {
      device_code: deviceCode,
      user_code: userCode,
      verification_uri: `${baseUrl}/device`,
      verification_uri_complete: `${baseUrl}/device?user_code=${userCode}`,
      interval,
      expires_in: DEVICE_TTL_S,
    },
  };
}

/** `urn:ietf:params:oauth:grant-type:device_code` grant (RFC 8628 §3.5 errors). */
export function redeemDeviceCode(core: EmulatorCore, form: URLSearchParams): OAuthClientRow {
  const entry = deviceAuthorizations(core.state).get(form.get('device_code') ?? '');
  if (!entry || entry.used) throw new OAuthError(400, 'invalid_grant', 'Unknown or already used device_code');
  if (entry.expiresAtMs <= core.now()) throw new OAuthError(400, 'expired_token', 'The device code has expired; start again with knoxcall login');
  // RFC 8628 §3.5: polling faster than the interval is answered slow_down, and the interval grows by 5 s.
  const last = entry.lastPollMs;
  entry.lastPollMs = core.now();
  if (last !== undefined && core.now() - last < entry.intervalS * 1000) {
    entry.intervalS += 5;
    throw new OAuthError(400, 'slow_down', `Polling too fast; wait at least ${entry.intervalS} s between requests`);
  }
  if (entry.decision === 'pending') throw new OAuthError(400, 'authorization_pending', 'The user has not approved this device yet');
  if (entry.decision === 'denied') throw new OAuthError(400, 'access_denied', 'The user denied this device');
  const client = findOAuthClient(core.state, form.get('client_id') ?? '');
  if (!client || client.client_id !== entry.clientId) throw new OAuthError(400, 'invalid_grant', 'device_code was issued to another client');
  entry.used = true;
  return client;
}

/** Approves (or denies) a pending device authorization by its user code. */
export function decideDevice(core: EmulatorCore, userCode: string, approve: boolean): void {
  for (const entry of deviceAuthorizations(core.state).values()) {
    if (entry.userCode === userCode.toUpperCase() && entry.decision === 'pending') {
      entry.decision = approve ? 'approved' : 'denied';
      return;
    }
  }
  throw new Error(`approveDevice: no pending device authorization with user code "${userCode}"`);
}

export function handleRevoke(core: EmulatorCore, req: IncomingMessage, body: Buffer): Reply {
  if (req.method !== 'POST') throw new OAuthError(405, 'invalid_request', 'Use POST');
  const token = new URLSearchParams(body.toString('utf8')).get('token');
  if (!token) throw new OAuthError(400, 'invalid_request', 'token is required');
  core.state.refreshTokens.delete(token);
  core.state.accessTokens.delete(token);
  return { status: 200, headers: { 'cache-control': 'no-store' }, body: {} };
}
