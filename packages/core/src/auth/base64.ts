/** Base64 and base64url without Buffer, so the same code runs on Node and Web runtimes. */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Standard base64 with `=` padding (RFC 4648 §4). */
export function base64(bytes: Uint8Array): string {
  return encode(bytes, ALPHABET, '=');
}

/**
 * Base64url without padding (RFC 4648 §5), as JOSE uses it. Its own alphabet in the one
 * pass: every DPoP proof encodes three parts, and base64-then-three-replaces cost more
 * than the encoding itself.
 */
export function base64url(bytes: Uint8Array): string {
  return encode(bytes, URL_ALPHABET, '');
}

/** Three bytes to four characters of `alphabet`; a short last group is padded with `pad` (or not, when empty). */
function encode(bytes: Uint8Array, alphabet: string, pad: '=' | ''): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]! + alphabet[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]! + pad + pad;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]! + pad;
  }
  return out;
}

const encoder = new TextEncoder();

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}
