import {
  AuthenticationError,
  ConflictError,
  KnoxCallError,
  type KnoxCallErrorInit,
  NotFoundError,
  PaymentRequiredError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  ValidationError,
} from './errors.js';

/** What an error body says, whichever of the server's shapes it uses (contract transport §5.3). */
export interface ErrorBodySummary {
  message: string;
  code: string | undefined;
  requestId: string | undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

export function summarizeErrorBody(status: number, body: unknown): ErrorBodySummary {
  const fallback = `HTTP ${status}`;
  if (!isObject(body)) return { message: fallback, code: undefined, requestId: undefined };
  const error = body.error;
  if (isObject(error)) {
    // Shape A, the canonical /v1 envelope: {error: {type, message, request_id}}
    return {
      message: text(error.message) ?? text(error.type) ?? fallback,
      code: str(error.type),
      requestId: str(error.request_id),
    };
  }
  // Flat shapes: {error, message}, OAuth {error, error_description}, AI {error, error_description, code}
  return {
    message: text(body.error_description) ?? text(body.message) ?? text(error) ?? fallback,
    code: str(body.code) ?? str(error),
    requestId: str(body.request_id) ?? str(body.errorId),
  };
}

const DELTA_SECONDS = /^\d+(\.\d+)?$/;

/**
 * Retry-After in seconds: delta-seconds or an HTTP-date (rounded up, never below 0).
 * Anything else is undefined. The value is not capped here; only the sleep is.
 */
export function parseRetryAfter(raw: string | null | undefined, now: number = Date.now()): number | undefined {
  if (raw == null) return undefined;
  const value = raw.trim();
  if (value === '') return undefined;
  if (DELTA_SECONDS.test(value)) return Number(value);
  // HTTP-dates always name a weekday and GMT; Date.parse alone accepts far too much.
  if (!/^[A-Za-z]{3},? .+ GMT$/.test(value) && !/^[A-Za-z]+, \d{2}-[A-Za-z]{3}-\d{2} .+ GMT$/.test(value)) {
    return undefined;
  }
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

function parseFields(body: unknown): Record<string, string[]> {
  const fields = isObject(body) ? (body.fields ?? (isObject(body.error) ? body.error.fields : undefined)) : undefined;
  if (!isObject(fields)) return {};
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (Array.isArray(value)) out[name] = value.map(String);
    else if (typeof value === 'string') out[name] = [value];
  }
  return out;
}

/**
 * Maps an error response to its typed error, purely by status (contract transport §5.4).
 * `headers` must have lower-cased names.
 */
export function errorFromResponse(status: number, headers: Record<string, string>, body: unknown): KnoxCallError {
  const summary = summarizeErrorBody(status, body);
  const init: KnoxCallErrorInit = {
    status,
    code: summary.code,
    requestId: text(headers['x-request-id']) ?? summary.requestId,
    headers,
    body,
  };
  const { message } = summary;
  if (status === 401) return new AuthenticationError(message, init);
  if (status === 402) return new PaymentRequiredError(message, init);
  if (status === 403) return new PermissionDeniedError(message, init);
  if (status === 404) return new NotFoundError(message, init);
  if (status === 409) return new ConflictError(message, init);
  if (status === 422) return new ValidationError(message, { ...init, fields: parseFields(body) });
  const retryAfter = () => parseRetryAfter(headers['retry-after']);
  if (status === 429) return new RateLimitError(message, { ...init, retryAfter: retryAfter() });
  if (status >= 500) return new ServerError(message, { ...init, retryAfter: retryAfter() });
  return new KnoxCallError(message, init);
}

/** Lower-cases response header names into a plain record (the shape of `error.headers`). */
export function headersToRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name.toLowerCase()] = value;
  });
  return out;
}
