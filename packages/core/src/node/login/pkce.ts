/**
 * PKCE (RFC 7636, S256) and the CSRF `state` of the browser login (contract auth §9): fresh
 * per login, URL-safe, unpadded.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface PkcePair {
  /** base64url of 48 random bytes: 64 characters (43–128 allowed). */
  verifier: string;
  /** base64url(SHA-256(verifier)), method S256. */
  challenge: string;
}

export function createPkcePair(): PkcePair {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** 24 random bytes → 32 URL-safe characters. */
export const createState = (): string => randomBytes(24).toString('base64url');

/** Constant-time comparison of the returned state with ours. */
export function sameState(received: string, expected: string): boolean {
  const a = Buffer.from(received);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
