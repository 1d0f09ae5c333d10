import type { HeaderBag } from '../http/headers.js';

// Proxy credentials and the SDK-owned origin marker: a caller (or an end user whose headers
// are forwarded) must never be able to inject another identity (contract transport §8.3).
const STRIPPED = ['authorization', 'dpop', 'x-knoxcall-key', 'x-knoxcall-agent-id', 'x-knoxcall-agent-token', 'x-knoxcall-origin'] as const;

/** Copy of `headers` (lower-case names) without the proxy-credential and marker headers. */
export function stripProxyAuthHeaders(headers: HeaderBag): HeaderBag {
  const out: HeaderBag = { ...headers };
  for (const name of STRIPPED) delete out[name];
  return out;
}

export const INTERCEPT_ORIGIN = 'sdk-intercept';
