/**
 * Reading the credentials file for the login commands, strictly: unlike auto-detection (which
 * skips a bad file silently), `ensureLogin`, `logout`, `whoami` and `login` itself must not
 * overwrite or ignore a file they cannot read — they fail with a typed error naming the file
 * and the fix.
 */
import { type CredentialsDocument, type CredentialsRecord, parseExpiry, resolveCredentialsLocation } from '../credentials-file.js';
import type { CredentialsLocation } from '../../auth/node-auth.js';
import { nodeFs } from '../node-fs.js';
import { BootstrapError } from '../../errors.js';

export interface ProfileSelector {
  /** Credentials file (default `KNOXCALL_CREDENTIALS_FILE` or `~/.knoxcall/credentials.json`). */
  path?: string | undefined;
  /** Profile (default `KNOXCALL_PROFILE` or `default`). */
  profile?: string | undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function locate(selector: ProfileSelector, getEnv: (name: string) => string | undefined = (n) => process.env[n]): CredentialsLocation {
  return resolveCredentialsLocation(selector, getEnv);
}

function corrupt(path: string, reason: string): BootstrapError {
  return new BootstrapError(`the KnoxCall credentials file ${path} cannot be used (${reason}): fix or delete it, then run \`knoxcall login\``, {
    code: 'invalid_credentials_file',
  });
}

/** The document, or null when the file does not exist; anything unreadable is a typed error. */
export async function readCredentialsFileStrict(path: string): Promise<CredentialsDocument | null> {
  let text: string;
  try {
    text = await (await nodeFs()).readFile(path, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return null;
    throw corrupt(path, `unreadable: ${(error as { code?: string }).code ?? 'error'}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw corrupt(path, 'not valid JSON');
  }
  if (!isObject(parsed) || !isObject(parsed.profiles)) throw corrupt(path, 'no "profiles" object');
  return parsed as CredentialsDocument;
}

/** The profile's record, or null when the file or the profile is absent. */
export async function readProfileStrict(location: CredentialsLocation): Promise<CredentialsRecord | null> {
  const document = await readCredentialsFileStrict(location.path);
  if (!document || !Object.hasOwn(document.profiles, location.profile)) return null;
  const record = document.profiles[location.profile];
  if (!isObject(record)) throw corrupt(location.path, `profile "${location.profile}" is not an object`);
  return record as CredentialsRecord;
}

/** Usable without a prompt: a refresh token with a client id, or an access token with > 60 s left. */
export function isUsableProfile(record: CredentialsRecord, now: number): boolean {
  const text = (v: unknown) => typeof v === 'string' && v !== '';
  if (text(record.refresh_token) && text(record.client_id)) return true;
  const expiresAt = parseExpiry(record.access_token_expires_at);
  return text(record.access_token) && expiresAt !== undefined && expiresAt - now > 60_000;
}
