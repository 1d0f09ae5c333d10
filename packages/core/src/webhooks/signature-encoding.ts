/**
 * Signature encodings without Buffer: hex (upper or lower case accepted on input, lower case
 * on output) and standard padded base64 (aws-sns). Decoding failures return undefined,
 * which the verifier treats as "no match".
 */

// Character code → nibble value, or 16 for anything that is not a hex digit.
const NIBBLE = new Uint8Array(128).fill(16);
for (let i = 0; i < 10; i++) NIBBLE[48 + i] = i;
for (let i = 0; i < 6; i++) {
  NIBBLE[65 + i] = 10 + i; // A-F
  NIBBLE[97 + i] = 10 + i; // a-f
}

/** Decodes exactly `byteLength` bytes of hex (either case), or undefined. */
export function decodeHex(hex: string, byteLength: number): Uint8Array | undefined {
  if (hex.length !== byteLength * 2) return undefined;
  const out = new Uint8Array(byteLength);
  let bad = 0;
  for (let i = 0; i < byteLength; i++) {
    // `& 127` keeps the lookup in range; a non-ASCII code is caught by the `>> 7` term.
    const highCode = hex.charCodeAt(2 * i);
    const lowCode = hex.charCodeAt(2 * i + 1);
    const high = NIBBLE[highCode & 127]!;
    const low = NIBBLE[lowCode & 127]!;
    bad |= ((high | low) & 0x10) | ((highCode | lowCode) >> 7);
    out[i] = (high << 4) | low;
  }
  return bad === 0 ? out : undefined;
}

/** Lower-case hex (replay keys: one 32-byte digest per verified delivery). */
export function encodeHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
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
