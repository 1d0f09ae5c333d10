/**
 * The one request both signup functions make: a credential-less JSON POST (contract
 * resources §20). No Authorization, no X-Idempotency-Key, no KnoxCall-Version, no retry.
 */
import { APIConnectionError, APIUserAbortError, SignupError } from '../errors.js';
import { VERSION } from '../version.js';
import type { SignupOptions } from './types.js';

const DEFAULT_BASE_URL = 'https://api.knoxcall.com';

function baseUrlOf(options: SignupOptions): string {
  const base = options.baseUrl ?? DEFAULT_BASE_URL;
  return base.replace(/\/+$/, '');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // A non-JSON body (e.g. a proxy's HTML 502 page) counts as `{}`.
    return {};
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (error instanceof Error && error.name === 'AbortError');
}

/**
 * POSTs `body` to `{baseUrl}{path}` and returns `data` of any status < 400 that carries a
 * `data` object; anything else is a `SignupError` whose message and type come from the
 * server's `error` member (else "`failureLabel` failed with status N").
 */
export async function postSignup<T>(path: string, body: Record<string, unknown>, options: SignupOptions, failureLabel: string): Promise<T> {
  const doFetch = options.fetch ?? globalThis.fetch;
  let text: string;
  let status: number;
  try {
    const response = await doFetch(`${baseUrlOf(options)}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'User-Agent': `knoxcall-node/${VERSION}` },
      body: JSON.stringify(body),
      // The claim handle is a secret: never re-post it to wherever a Location points.
      redirect: 'manual',
      signal: options.signal,
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    if (isAbort(error, options.signal)) throw new APIUserAbortError(undefined, { cause: error });
    const reason = error instanceof Error ? error.message : String(error);
    throw new APIConnectionError(`network error: ${reason}`, { cause: error });
  }

  const parsed = parseJson(text);
  const data = isObject(parsed) ? parsed.data : undefined;
  if (status < 400 && isObject(data) && Object.keys(data).length > 0) return data as T;

  const error = isObject(parsed) && isObject(parsed.error) ? parsed.error : {};
  const message = typeof error.message === 'string' && error.message !== '' ? error.message : `${failureLabel} failed with status ${status}`;
  const type = typeof error.type === 'string' && error.type !== '' ? error.type : undefined;
  throw new SignupError(message, { status, code: type, body: parsed, headers: {} });
}
