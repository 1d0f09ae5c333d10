import { flagIsOff } from '../kill-switch.js';
import type { EgressObservation } from '../types.js';

// Key-, token- and JWT-shaped strings: a path such as /sk_live_abc…/charges must not put the key in a report.
const CREDENTIAL_PREFIX = /^(?:sk|pk|rk)_|^(?:ghp|gho|ghs|github_pat|xox[abpr]|glpat)[-_]|^AKIA|^eyJ/;

/** Whether a path segment looks like a credential (a known key prefix, or a long mix of letters and digits). */
export function firstSegmentLooksLikeCredential(segment: string): boolean {
  const s = segment.startsWith('/') ? segment.slice(1) : segment;
  if (s === '') return false;
  if (CREDENTIAL_PREFIX.test(s)) return true;
  return s.length >= 20 && /[0-9]/.test(s) && /[a-zA-Z]/.test(s);
}

/** The first segment of `path` (`/v1/charges` → `/v1`); `/` for none or for one that looks like a credential. */
export function observationFirstSegment(path: string): string {
  const rest = path.startsWith('/') ? path.slice(1) : path;
  const end = rest.indexOf('/');
  const first = end === -1 ? rest : rest.slice(0, end);
  if (first === '' || firstSegmentLooksLikeCredential(first)) return '/';
  return `/${first}`;
}

/** One observation of `headerName` on a request to `url` (no query, no value, no body). */
export function observationFor(url: URL | string, method: string, headerName: string, at: Date = new Date()): EgressObservation {
  const u = typeof url === 'string' ? new URL(url) : url;
  const seen = at.toISOString();
  return {
    host: u.host,
    first_segment: observationFirstSegment(u.pathname),
    method: method.toUpperCase(),
    header_name: headerName.toLowerCase(),
    count: 1,
    first_seen: seen,
    last_seen: seen,
  };
}

/** Whether `KNOXCALL_OBSERVE_UNCOVERED` (off / 0 / false) disables observations. */
export function observeUncoveredDisabledByEnv(env?: Readonly<Record<string, string | undefined>>): boolean {
  const source = env ?? (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return flagIsOff(source?.['KNOXCALL_OBSERVE_UNCOVERED']);
}
