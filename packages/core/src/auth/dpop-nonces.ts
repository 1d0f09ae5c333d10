/**
 * Server nonces for DPoP (contract auth §5.6, our choice): the latest `DPoP-Nonce` value
 * seen from each origin, from any response, goes into every later proof for that origin.
 * Values are opaque and never logged.
 */
import type { ResponseHeaderReader } from '../transport/direct-sender.js';

const MAX_ORIGINS = 256;

export function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

export class DpopNonceBook {
  readonly #byOrigin = new Map<string, string>();
  /** The last URL looked up and its origin: a client sends proof after proof to the same URL, and parsing it cost more than the map. */
  #lastUrl: string | undefined;
  #lastOrigin: string | undefined;

  #originOf(url: string): string | undefined {
    if (url !== this.#lastUrl) {
      this.#lastOrigin = originOf(url);
      this.#lastUrl = url;
    }
    return this.#lastOrigin;
  }

  remember(url: string, headers: ResponseHeaderReader): void {
    const nonce = headers.get('dpop-nonce');
    if (!nonce) return;
    const origin = this.#originOf(url);
    if (origin === undefined) return;
    this.#byOrigin.delete(origin);
    this.#byOrigin.set(origin, nonce);
    // A long-lived client talking to many ephemeral origins must not grow without bound.
    if (this.#byOrigin.size > MAX_ORIGINS) {
      const oldest = this.#byOrigin.keys().next().value;
      if (oldest !== undefined) this.#byOrigin.delete(oldest);
    }
  }

  nonceFor(url: string): string | undefined {
    if (this.#byOrigin.size === 0) return undefined;
    const origin = this.#originOf(url);
    return origin === undefined ? undefined : this.#byOrigin.get(origin);
  }
}

/**
 * Parses a `WWW-Authenticate` value into challenges (RFC 9110 §11.6.1), enough to tell
 * whether a `DPoP` challenge says `error="use_dpop_nonce"`.
 */
export function parseChallenges(header: string): Array<{ scheme: string; params: Record<string, string> }> {
  const challenges: Array<{ scheme: string; params: Record<string, string> }> = [];
  const re = /\s*,?\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)(?:\s*=\s*("(?:[^"\\]|\\.)*"|[^\s,]*))?/gy;
  let current: { scheme: string; params: Record<string, string> } | undefined;
  re.lastIndex = 0;
  while (re.lastIndex < header.length) {
    const match = re.exec(header);
    if (match === null || match[0] === '') break;
    const [, name, rawValue] = match;
    if (rawValue === undefined) {
      // A bare token: either a new scheme or a token68 (which we ignore).
      current = { scheme: name!, params: {} };
      challenges.push(current);
      continue;
    }
    if (!current) continue;
    const value = rawValue.startsWith('"') ? rawValue.slice(1, -1).replace(/\\(.)/g, '$1') : rawValue;
    current.params[name!.toLowerCase()] = value;
  }
  return challenges;
}

export function isDpopNonceChallenge(status: number, headers: ResponseHeaderReader): boolean {
  if (status !== 401 || !headers.get('dpop-nonce')) return false;
  const header = headers.get('www-authenticate');
  if (!header) return false;
  return parseChallenges(header).some((c) => c.scheme.toLowerCase() === 'dpop' && c.params.error === 'use_dpop_nonce');
}
