/**
 * `login()`, `ensureLogin()` and `logout()` (contract auth §9), Node only. Login runs the
 * browser (PKCE + loopback) or device flow against the management base URL, writes the
 * profile to the credentials file under its lock, and returns a client that reads it.
 * Construction and `call()` never start a login; only these functions do.
 */
import type { KnoxCallOptions } from '../../config/options.js';
import { DEFAULT_BASE_URL, SANDBOX_BASE_URL } from '../../config/base-url.js';
import { StoredCredentials } from '../../auth/bootstraps.js';
import { KnoxCallError } from '../../errors.js';
import { VERSION } from '../../version.js';
import { KnoxCall } from '../node-client.js';
import { assertInteractive } from './interactive-guard.js';
import { CLI_CLIENT_ID } from './login-token.js';
import { type ProfileSelector, isUsableProfile, locate, readProfileStrict } from './stored-profile.js';

export type LoginMode = 'auto' | 'browser' | 'device';

export interface LoginOptions extends ProfileSelector {
  /** Tenant hint for the browser flow (the server's answer wins). */
  tenant?: string | undefined;
  /** Log in to the sandbox (`https://sandbox.knoxcall.com`) unless a base URL is given. */
  sandbox?: boolean | undefined;
  /** Management base URL; beats `KNOXCALL_BASE_URL` and `sandbox`. */
  baseUrl?: string | undefined;
  /** `auto` (default): device flow on Linux without a display, else browser. */
  mode?: LoginMode | undefined;
  /** Open the browser (default true); a function receives the authorize URL instead. */
  openBrowser?: boolean | ((url: string) => unknown) | undefined;
  /** How long the browser flow waits for the redirect (default 300 000 ms). */
  timeoutMs?: number | undefined;
  /** Allow login without a TTY or with `CI` / `KNOXCALL_NO_INTERACTIVE` set (default false). */
  allowNonInteractive?: boolean | undefined;
  /** Options for the returned client (its bootstrap is always the stored profile). */
  clientOptions?: Omit<KnoxCallOptions, 'bootstrap' | 'clientId' | 'clientSecret' | 'accessToken' | 'apiKey'> | undefined;
  /** Where instructions go (the URL, the user code; never tokens). Default: stderr. */
  output?: ((line: string) => void) | undefined;
  fetch?: typeof fetch | undefined;
}

export interface LogoutResult {
  /** The credentials file and profile that were looked at. */
  path: string;
  profile: string;
  /** False when there was no such profile ("nothing to do"). */
  removed: boolean;
  /** Whether the server confirmed the refresh token's revocation (best effort). */
  revoked: boolean;
}

/** What `whoami` shows about a stored login (no secrets). */
export interface StoredLogin {
  path: string;
  profile: string;
  tenant: string | undefined;
  baseUrl: string | undefined;
  clientId: string | undefined;
}

const env = (name: string): string | undefined => {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
};

/** `baseUrl` › `KNOXCALL_BASE_URL` › sandbox › the API default. */
export function loginBaseUrl(options: Pick<LoginOptions, 'baseUrl' | 'sandbox'>): string {
  return (options.baseUrl ?? env('KNOXCALL_BASE_URL') ?? (options.sandbox ? SANDBOX_BASE_URL : DEFAULT_BASE_URL)).replace(/\/+$/, '');
}

function resolveMode(mode: unknown): 'browser' | 'device' {
  if (mode === undefined || mode === 'auto') {
    const headlessLinux = process.platform === 'linux' && !env('DISPLAY') && !env('WAYLAND_DISPLAY');
    return headlessLinux ? 'device' : 'browser';
  }
  if (mode === 'browser' || mode === 'device') return mode;
  throw new KnoxCallError(`invalid login mode ${JSON.stringify(String(mode))}: mode must be "auto", "browser" or "device"`);
}

function clientFor(options: LoginOptions, profile: string, path: string): KnoxCall {
  return new KnoxCall({
    ...options.clientOptions,
    ...(options.sandbox !== undefined ? { sandbox: options.sandbox } : {}),
    ...(options.baseUrl !== undefined ? { baseUrl: options.baseUrl } : {}),
    bootstrap: new StoredCredentials({ path, profile }),
  });
}

export async function login(options: LoginOptions = {}): Promise<KnoxCall> {
  const mode = resolveMode(options.mode);
  if (!options.allowNonInteractive) assertInteractive(env, () => process.stdin.isTTY === true && process.stdout.isTTY === true);
  const location = locate(options);
  // Refuse a corrupt file before anyone signs in, rather than after.
  await readProfileStrict(location);
  const print = options.output ?? ((line: string) => process.stderr.write(`${line}\n`));
  const baseUrl = loginBaseUrl(options);
  const http = { baseUrl, fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)), userAgent: `knoxcall-node/${VERSION} (login)` };

  let token: Awaited<ReturnType<typeof import('./device-flow.js').runDeviceFlow>>;
  if (mode === 'device') {
    const { runDeviceFlow } = await import('./device-flow.js');
    token = await runDeviceFlow({ ...http, print });
  } else {
    const [{ runBrowserFlow }, { openInBrowser }] = await Promise.all([import('./browser-flow.js'), import('./open-browser.js')]);
    const opener = options.openBrowser;
    token = await runBrowserFlow({
      ...http,
      print,
      tenantHint: options.tenant,
      timeoutMs: options.timeoutMs ?? 300_000,
      open: typeof opener === 'function' ? (url) => opener(url) : opener === false ? () => {} : (url) => openInBrowser(url, env),
    });
  }
  const { persistLogin } = await import('./persist-login.js');
  const saved = await persistLogin(location, token, { baseUrl, tenantHint: options.tenant, now: Date.now() });
  print(`Signed in${saved.tenant ? ` to tenant ${saved.tenant}` : ''} (profile "${location.profile}", ${location.path}).`);
  if (!saved.hasRefreshToken) print('warning: the server returned no refresh token; access will not renew — run `knoxcall login` again when it expires.');
  return clientFor(options, location.profile, location.path);
}

/** A client from a usable stored profile without any prompt or network; otherwise `login(options)`. */
export async function ensureLogin(options: LoginOptions = {}): Promise<KnoxCall> {
  const location = locate(options);
  const record = await readProfileStrict(location);
  if (record && isUsableProfile(record, Date.now())) return clientFor(options, location.profile, location.path);
  return login(options);
}

/**
 * Revokes the profile's refresh token (best effort: connection errors and statuses ignored),
 * then removes the profile under the lock, deleting the file when it was the last.
 */
export async function logout(options: ProfileSelector & { fetch?: typeof fetch | undefined } = {}): Promise<LogoutResult> {
  const location = locate(options);
  const record = await readProfileStrict(location);
  if (!record) return { ...location, removed: false, revoked: false };
  let revoked = false;
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const refreshToken = text(record.refresh_token);
  const base = text(record.base_url);
  if (refreshToken && base) {
    const form = new URLSearchParams({ token: refreshToken, token_type_hint: 'refresh_token', client_id: text(record.client_id) ?? CLI_CLIENT_ID });
    try {
      const response = await (options.fetch ?? globalThis.fetch)(`${base.replace(/\/+$/, '')}/oauth/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        redirect: 'manual',
        signal: AbortSignal.timeout(10_000),
      });
      await response.body?.cancel();
      revoked = response.ok;
    } catch {
      // Best effort: the local profile is removed either way.
    }
  }
  const { removeProfile } = await import('./persist-login.js');
  const removed = await removeProfile(location);
  return { ...location, removed, revoked };
}

/** The stored profile's public facts, or null when not logged in; a corrupt file is a typed error. */
export async function storedLogin(selector: ProfileSelector = {}): Promise<StoredLogin | null> {
  const location = locate(selector);
  const record = await readProfileStrict(location);
  if (!record) return null;
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return { ...location, tenant: text(record.tenant), baseUrl: text(record.base_url), clientId: text(record.client_id) };
}
