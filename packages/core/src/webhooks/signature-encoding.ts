/**
 * Signature encodings without Buffer: hex (upper or lower case accepted on input, lower case
 * on output) and standard padded base64 (aws-sns). Decoding failures return undefined,
 * which the verifier treats as "no match".
 */

/** The value of one hex digit (either case), or -1. */
function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  const lower = code | 32; // A-F → a-f
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/**
 * Decodes the hex (either case) from `start` to the end of `text`: exactly `byteLength`
 * bytes, or undefined. Read in place, so a signature after its `sha256=` needs no substring
 * made. It may stop early: this is the sender's signature text, not a secret — only comparing
 * it with the expected digest must take constant time (verification-algorithm.ts `findMatch`).
 */
export function decodeHex(text: string, byteLength: number, start = 0): Uint8Array | undefined {
  if (text.length - start !== byteLength * 2) return undefined;
  const out = new Uint8Array(byteLength);
  for (let i = 0; i < byteLength; i++) {
    const high = hexDigit(text.charCodeAt(start + 2 * i));
    const low = hexDigit(text.charCodeAt(start + 2 * i + 1));
    if ((high | low) < 0) return undefined;
    out[i] = (high << 4) | low;
  }
  return out;
}

/**
 * Lower-case hex (replay keys: one 32-byte digest per verified delivery, beside a store round
 * trip, so the shortest code wins over a lookup table: Hono's edge bundle pays for every byte).
 * `| 256` makes every byte three hex digits, the first of them a 1, so no padding is needed.
 */
export function encodeHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += (byte | 256).toString(16).slice(1);
  return out;
}

/**
 * Standard base64 with padding. `btoa` exists on every supported runtime (Node ≥ 16,
 * workers, Deno, Bun, browsers) and needs no Buffer; digests are 32 bytes, so the spread is small.
 */
export function encodeBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

/** The bytes of an ASCII string (callers have already rejected non-ASCII values). */
export function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}
