/**
 * Node only. The CLI credentials file written by `knoxcall login` (contract auth §7.1–§7.2):
 * where it is, how its profiles read, the permission warning, and merging atomic writes.
 */
import { nodeFs } from './node-fs.js';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomHex, writeFileAtomic } from './atomic-file-write.js';
import type { CredentialsLocation } from '../auth/node-auth.js';

/** A profile record: snake_case strings as the file stores them; unknown members are kept. */
export interface CredentialsRecord {
  tenant?: string;
  base_url?: string;
  client_id?: string;
  refresh_token?: string;
  access_token?: string;
  access_token_expires_at?: string;
  scope?: string | string[];
  [unknown: string]: unknown;
}

export interface CredentialsDocument {
  version?: unknown;
  profiles: Record<string, unknown>;
  [unknown: string]: unknown;
}

export function resolveCredentialsLocation(
  explicit: { path?: string | undefined; profile?: string | undefined },
  getEnv: (name: string) => string | undefined,
): CredentialsLocation {
  const env = (name: string) => {
    const value = getEnv(name);
    return value === undefined || value === '' ? undefined : value;
  };
  const path = explicit.path || env('KNOXCALL_CREDENTIALS_FILE') || join(homedir(), '.knoxcall', 'credentials.json');
  const profile = explicit.profile || env('KNOXCALL_PROFILE') || 'default';
  return { path: resolve(path), profile };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export const PERMISSION_WARNING_CODE = 'KNOXCALL_CREDENTIALS_FILE_PERMISSIONS';

/**
 * The parsed document when it is valid (an object whose `profiles` is an object), else
 * null — a missing or malformed file is treated as absent. Warns once on a group/other
 * accessible file (POSIX only).
 */
export async function readCredentialsDocument(path: string, warnOnce: (code: string, message: string) => void): Promise<CredentialsDocument | null> {
  let text: string;
  try {
    if (process.platform !== 'win32') {
      const { mode } = await (await nodeFs()).stat(path);
      if ((mode & 0o077) !== 0) {
        const octal = (mode & 0o777).toString(8).padStart(4, '0');
        warnOnce(
          PERMISSION_WARNING_CODE,
          `KnoxCall credentials file ${path} is accessible to group/other (mode ${octal}); it holds a refresh token. Restrict it with: chmod 600 ${path}`,
        );
      }
    }
    text = await (await nodeFs()).readFile(path, 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (isObject(parsed) && isObject(parsed.profiles)) return parsed as CredentialsDocument;
  } catch {
    // malformed: absent
  }
  return null;
}

export async function readCredentialsRecord(
  location: CredentialsLocation,
  warnOnce: (code: string, message: string) => void,
): Promise<CredentialsRecord | null> {
  const document = await readCredentialsDocument(location.path, warnOnce);
  if (!document || !Object.hasOwn(document.profiles, location.profile)) return null;
  const record = document.profiles[location.profile];
  return isObject(record) ? (record as CredentialsRecord) : null;
}

/**
 * Merges `changes` into one profile (other profiles and unknown members untouched; null
 * or undefined members dropped) and writes the whole document atomically with mode 0600.
 */
export async function writeCredentialsProfile(location: CredentialsLocation, changes: Partial<Record<keyof CredentialsRecord, unknown>>): Promise<void> {
  const document = (await readCredentialsDocument(location.path, () => {})) ?? { profiles: {} };
  const previous = document.profiles[location.profile];
  const merged: Record<string, unknown> = { ...(isObject(previous) ? previous : {}), ...changes };
  for (const [name, value] of Object.entries(merged)) if (value === null || value === undefined) delete merged[name];
  document.profiles[location.profile] = merged;
  const out: Record<string, unknown> = { ...document, version: document.version ?? 1 };
  await writeFileAtomic(location.path, `${JSON.stringify(out, null, 2)}\n`, () => `.credentials-${randomHex(8)}.tmp`);
}

/**
 * Expiry timestamps: ISO-8601; a trailing `Z` is UTC and a timestamp without a zone is
 * treated as UTC too; anything unparsable is undefined (forces the refresh path).
 */
export function parseExpiry(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(text)) return undefined;
  const hasTime = /[T ]\d{2}:\d{2}/.test(text);
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(text) && hasTime;
  const normalised = hasTime && !hasZone ? `${text.replace(' ', 'T')}Z` : text.replace(' ', 'T');
  const ms = Date.parse(normalised);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `YYYY-MM-DDTHH:MM:SSZ`, second precision, UTC. */
export function formatExpiry(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A record's scope: a space-separated string, or (readers accept) an array. */
export function recordScope(record: CredentialsRecord): string[] {
  const { scope } = record;
  if (Array.isArray(scope)) return scope.filter((s): s is string => typeof s === 'string' && s !== '');
  if (typeof scope === 'string') return scope.split(/\s+/).filter((s) => s !== '');
  return [];
}
