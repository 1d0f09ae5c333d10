/**
 * One form POST to the management token endpoint and the reading of its answer
 * (contract auth §2). Transport failures become `APIConnectionError`s; error statuses go
 * through the common mapper; a 200 that is not a token is "unexpected response".
 */
import { errorFromResponse, headersToRecord } from '../error-from-response.js';
import { APIConnectionError, APIConnectionTimeoutError, KnoxCallError } from '../errors.js';
import { Redacted } from '../redacted.js';
import { FALLBACK_LIFETIME_SECONDS } from './token-freshness.js';
import type { CachedToken } from './token-store.js';

export interface TokenHttpResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

export interface TokenPostInput {
  url: string;
  form: URLSearchParams;
  headers: Record<string, string>;
  fetch: typeof fetch;
  timeoutMs: number;
}

export function tokenEndpointUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/oauth/token`;
}

/** POSTs the form and returns status, headers and the parsed body (JSON, else text, else null). */
export async function postTokenForm(input: TokenPostInput): Promise<TokenHttpResponse> {
  const timeout = AbortSignal.timeout(input.timeoutMs);
  let response: Response;
  let text: string;
  try {
    response = await input.fetch(input.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        ...input.headers,
      },
      body: input.form.toString(),
      // Never replay client credentials to whatever origin a redirect names.
      redirect: 'manual',
      signal: timeout,
    });
    text = await response.text();
  } catch (error) {
    if (timeout.aborted) {
      throw new APIConnectionTimeoutError(`token request timed out after ${input.timeoutMs} ms`, { cause: error });
    }
    throw new APIConnectionError(`network error: ${describe(error)}`, { cause: error });
  }
  return { status: response.status, headers: response.headers, body: parseBody(text) };
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { message?: unknown } } | undefined)?.cause;
  if (cause && typeof cause.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The typed error for an error status (the OAuth `error` becomes `code`). */
export function tokenEndpointError(response: TokenHttpResponse): KnoxCallError {
  return errorFromResponse(response.status, headersToRecord(response.headers), response.body);
}

export interface ParsedTokenResponse {
  accessToken: string;
  refreshToken: string | undefined;
  /** Seconds, after the fallback rules (may be ≤ 0: used as-is). */
  expiresIn: number;
  isDpop: boolean;
  scope: string[] | undefined;
  tenant: string | undefined;
  clientId: string | undefined;
}

const nonEmptyString = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** Numbers and numeric strings are taken as-is; anything else is the fallback lifetime. */
export function expiresInSeconds(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    if (Number.isFinite(n)) return n;
  }
  return FALLBACK_LIFETIME_SECONDS;
}

/** Reads a success (< 400) answer; anything that is not a token is the "unexpected response" error. */
export function parseTokenResponse(response: TokenHttpResponse): ParsedTokenResponse {
  const body = response.body;
  const record = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  const accessToken = nonEmptyString(record?.access_token);
  if (response.status < 200 || response.status >= 300 || !record || accessToken === undefined) {
    throw new KnoxCallError(`token endpoint returned an unexpected response (status ${response.status})`, {
      status: response.status,
      headers: headersToRecord(response.headers),
      body,
    });
  }
  const scope = nonEmptyString(record.scope)
    ?.split(/\s+/)
    .filter((s) => s !== '');
  return {
    accessToken,
    refreshToken: nonEmptyString(record.refresh_token),
    expiresIn: expiresInSeconds(record.expires_in),
    // RFC 6749 §5.1: token_type is case-insensitive (our choice).
    isDpop: typeof record.token_type === 'string' && record.token_type.toLowerCase() === 'dpop',
    scope: scope && scope.length > 0 ? scope : undefined,
    tenant: nonEmptyString(record.tenant),
    clientId: nonEmptyString(record.client_id),
  };
}

/** The cache entry for a minted token (contract auth §2.2 step 7). */
export function cachedTokenFrom(parsed: ParsedTokenResponse, requestedScopes: readonly string[], now: number, cnfJkt: string | undefined): CachedToken {
  return {
    accessToken: new Redacted(parsed.accessToken),
    refreshToken: parsed.refreshToken === undefined ? undefined : new Redacted(parsed.refreshToken),
    expiresAt: now + parsed.expiresIn * 1000,
    lifetime: parsed.expiresIn * 1000,
    scope: parsed.scope ?? [...requestedScopes],
    tokenType: parsed.isDpop ? 'DPoP' : 'Bearer',
    cnfJkt,
    tenant: parsed.tenant,
  };
}
