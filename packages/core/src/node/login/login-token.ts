/**
 * The token POSTs of the login flows (contract auth §9): form-encoded, no client secret, no
 * DPoP. A failure reads "sign-in failed: <error_description | error | HTTP n>".
 */
import { KnoxCallError } from '../../errors.js';
import { type ParsedTokenResponse, type TokenHttpResponse, parseTokenResponse, postTokenForm, tokenEndpointUrl } from '../../auth/token-endpoint.js';

export const CLI_CLIENT_ID = 'knoxcall-cli';

export interface LoginHttp {
  baseUrl: string;
  fetch: typeof fetch;
  userAgent: string;
}

export function oauthErrorOf(body: unknown): { error: string | undefined; description: string | undefined } {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return { error: text(record.error), description: text(record.error_description) };
}

export function postLoginForm(http: LoginHttp, path: string, form: URLSearchParams): Promise<TokenHttpResponse> {
  const url = path === '/oauth/token' ? tokenEndpointUrl(http.baseUrl) : `${http.baseUrl.replace(/\/+$/, '')}${path}`;
  return postTokenForm({ url, form, headers: { 'user-agent': http.userAgent }, fetch: http.fetch, timeoutMs: 30_000 });
}

/** A success answer as a parsed token, else the "sign-in failed" error. */
export function signedInToken(response: TokenHttpResponse): ParsedTokenResponse {
  if (response.status >= 400) throw signInFailed(response);
  try {
    return parseTokenResponse(response);
  } catch {
    throw signInFailed(response);
  }
}

export function signInFailed(response: TokenHttpResponse): KnoxCallError {
  const { error, description } = oauthErrorOf(response.body);
  return new KnoxCallError(`sign-in failed: ${description ?? error ?? `HTTP ${response.status}`}`, {
    status: response.status,
    code: error,
    requestId: response.headers.get('x-request-id') ?? undefined,
  });
}
