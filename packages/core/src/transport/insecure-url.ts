/**
 * Plaintext-HTTP detection (contract transport §10): `http://` to anything but loopback
 * sends the bearer token readable on the wire. Private addresses such as 10.x still warn.
 */
export function isInsecureRemoteUrl(url: string | undefined): boolean {
  if (url === undefined || !/^http:\/\//i.test(url)) return false;
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  const loopback = host === 'localhost' || host.endsWith('.localhost') || host === '0.0.0.0' || host === '::1' || host === '[::1]' || host.startsWith('127.');
  return !loopback;
}

export const INSECURE_BASE_URL_CODE = 'KNOXCALL_INSECURE_BASE_URL';
export const INSECURE_PROXY_URL_CODE = 'KNOXCALL_INSECURE_PROXY_URL';

export function insecureBaseUrlMessage(url: string): string {
  return `KnoxCall management base URL ${safeOrigin(url)} uses unencrypted http://; credentials and tokens are sent in plaintext. Use https:// for anything but loopback.`;
}

export function insecureProxyUrlMessage(url: string): string {
  return `KnoxCall data-plane (proxy) URL ${safeOrigin(url)} uses unencrypted http://; proxy credentials and request bodies are sent in plaintext. Use https:// for anything but loopback.`;
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(unparseable URL)';
  }
}
