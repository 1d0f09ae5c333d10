/**
 * ULIDs (contract transport §7) for idempotency keys and the anonymous cache identity.
 * Our own few lines instead of the `ulid` package: one getRandomValues call per ULID
 * (the package draws once per character) and nothing extra to load at import.
 */

/** Crockford base32, upper case, without I, L, O, U. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The 10-character time part: 48 bits of Unix milliseconds, big-endian. */
export function encodeUlidTime(ms: number): string {
  let rest = ms;
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

/** The 16-character random part: 80 bits from 10 bytes, big-endian, 5 bits per character. */
export function encodeUlidRandom(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < 10; i++) {
    buffer = ((buffer << 8) | (bytes[i] as number)) & 0x1fff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >> bits) & 31];
    }
  }
  return out;
}

/** A new ULID: current time plus 80 bits from the platform's cryptographic RNG (not monotonic). */
export function ulid(now: number = Date.now()): string {
  return encodeUlidTime(now) + encodeUlidRandom(globalThis.crypto.getRandomValues(new Uint8Array(10)));
}
