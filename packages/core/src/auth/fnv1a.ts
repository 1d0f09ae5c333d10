/**
 * FNV-1a 32-bit over UTF-8 bytes, as unsigned lower-case hex without padding. Used for
 * `tok:` cache-key identities (contract auth §3.1) so that a token never appears in a key
 * yet the key matches the official Node SDK's.
 */
const OFFSET_BASIS = 2166136261;
const PRIME = 16777619;

export function fnv1a32Hex(text: string): string {
  let hash = OFFSET_BASIS;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, PRIME) >>> 0;
  }
  return (hash >>> 0).toString(16);
}
