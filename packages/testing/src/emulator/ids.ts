import { randomBytes, randomUUID } from 'node:crypto';

/** A fresh UUID v4 for resource rows. */
export function newId(): string {
  return randomUUID();
}

/** `req_<uuid>`: the X-Request-Id format the real server uses. */
export function newRequestId(): string {
  return `req_${randomUUID()}`;
}

/** An opaque credential string such as `kc_at_3f9c…` (hex so it is URL/header safe). */
export function opaqueToken(prefix: string, bytes = 16): string {
  return `${prefix}${randomBytes(bytes).toString('hex')}`;
}

/** base64url without padding, used by DPoP and the `kc:` formats. */
export function b64url(data: Uint8Array | string): string {
  return Buffer.from(data).toString('base64url');
}
