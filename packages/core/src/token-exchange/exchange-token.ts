/**
 * `exchangeToken` — the standalone data-plane workload token exchange (contract auth §8.2,
 * resources §20). It builds no client and sends no KnoxCall credential: the subject token
 * (an OIDC ID token from the platform) IS the credential. No idempotency key, no
 * `KnoxCall-Version`, no retries: a single-use subject token must not be replayed blindly.
 */
import { aiGatewayErrorFrom } from '../resources/extended/ai-gateway-errors.js';
import { isInsecureRemoteUrl } from '../transport/insecure-url.js';
import { APIConnectionError, APIUserAbortError, BootstrapError, TokenExchangeError } from '../errors.js';
import { ID_TOKEN_TYPE, KNOXCALL_AUDIENCE, TOKEN_EXCHANGE_GRANT } from './constants.js';
import { exchangeOrigin } from './exchange-origin.js';

export interface ExchangeTokenInput {
  /** The platform's OIDC ID token. */
  subject_token: string;
  /**
   * An MCP server row's `resource`: narrows the token to kind `tool` for that server.
   * Sent whenever it is not `undefined` — `""` too (the server refuses it), so a typo never
   * silently mints an unconfined token.
   */
  resource?: string;
  /** Default `knoxcall:gateway`, the only value the server accepts. */
  audience?: string;
}

export interface ExchangeTokenOptions {
  /** Tenant slug; the request goes to `https://{tenant}.knoxcall.com`. */
  tenant?: string;
  /** With `tenant`: `https://sandbox-{tenant}.knoxcall.com`. */
  sandbox?: boolean;
  /** Explicit data-plane origin; wins over `tenant`. */
  baseUrl?: string;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /**
   * Receives the plaintext-HTTP security warning. Default: `console.warn`, once per
   * process (there is no client to own a warn-once registry).
   */
  warn?: (message: string) => void;
}

/** The bare RFC 8693 body (not enveloped), returned exactly as parsed. */
export interface ExchangeTokenResponse {
  access_token: string;
  /** `urn:ietf:params:oauth:token-type:access_token`. */
  issued_token_type: string;
  /** `Bearer`. */
  token_type: string;
  /** Seconds; server default 900. */
  expires_in: number;
  /** A JSON-encoded capability description; informational. */
  scope: string;
}

let defaultWarningShown = false;

function warnPlaintext(origin: string, warn: ((message: string) => void) | undefined): void {
  const message = `KnoxCall exchangeToken: ${origin} uses plaintext HTTP; the subject token and the minted token would travel unencrypted. Use an https:// baseUrl.`;
  if (warn) {
    warn(message);
    return;
  }
  if (defaultWarningShown) return;
  defaultWarningShown = true;
  console.warn(message);
}

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (error instanceof Error && error.name === 'AbortError');
}

function headersRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name.toLowerCase()] = value;
  });
  return out;
}

/** The JSON object in `text`, or undefined when it is not one (e.g. a proxy's HTML 502 page). */
function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export async function exchangeToken(input: ExchangeTokenInput, options: ExchangeTokenOptions = {}): Promise<ExchangeTokenResponse> {
  if (typeof input?.subject_token !== 'string' || input.subject_token === '') {
    throw new BootstrapError('exchangeToken: subject_token must be a non-empty string — the OIDC ID token your platform issued for this workload.', {
      code: 'missing_subject_token',
    });
  }
  const origin = exchangeOrigin(options);
  if (isInsecureRemoteUrl(origin)) warnPlaintext(origin, options.warn);

  const body: Record<string, string> = {
    grant_type: TOKEN_EXCHANGE_GRANT,
    subject_token: input.subject_token,
    subject_token_type: ID_TOKEN_TYPE,
    audience: input.audience ?? KNOXCALL_AUDIENCE,
  };
  if (input.resource !== undefined) body.resource = input.resource;

  const doFetch = options.fetch ?? globalThis.fetch;
  let response: Response;
  try {
    response = await doFetch(`${origin}/v1/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
      // A redirect would re-post the subject token to wherever the Location points.
      redirect: 'manual',
      signal: options.signal,
    });
  } catch (error) {
    if (isAbort(error, options.signal)) throw new APIUserAbortError(undefined, { cause: error });
    const reason = error instanceof Error ? error.message : String(error);
    throw new APIConnectionError(`network error: ${reason}`, { cause: error });
  }

  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (isAbort(error, options.signal)) throw new APIUserAbortError(undefined, { cause: error });
    throw new APIConnectionError(`network error: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const json = parseJsonObject(text);
  // A non-JSON body counts as `{}` for reading the outcome (auth §8.2).
  const parsed = json ?? {};
  const { status } = response;
  const accessToken = parsed.access_token;
  if (status < 400 && typeof accessToken === 'string' && accessToken !== '') {
    return parsed as unknown as ExchangeTokenResponse;
  }

  const headers = headersRecord(response.headers);
  const aiError = aiGatewayErrorFrom(status, parsed, headers);
  if (aiError) throw aiError;

  const description = parsed.error_description;
  const code = typeof parsed.error === 'string' && parsed.error !== '' ? parsed.error : 'token_exchange_failed';
  const requestId = headers['x-request-id'] || (typeof parsed.request_id === 'string' ? parsed.request_id : undefined);
  throw new TokenExchangeError(typeof description === 'string' && description !== '' ? description : `Token exchange failed with status ${status}`, {
    status,
    code,
    requestId,
    headers,
    body: json ?? text,
  });
}
