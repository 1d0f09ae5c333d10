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

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

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

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
// The three HTTP-date forms of RFC 9110 §5.6.7, all in UTC.
const IMF_FIXDATE = /^[A-Za-z]{3}, (\d{2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC850_DATE = /^[A-Za-z]{6,9}, (\d{2})-([A-Za-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME_DATE = /^[A-Za-z]{3} ([A-Za-z]{3}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

interface DateParts {
  day: string;
  month: string;
  year: number;
  time: [string, string, string];
}

function dateParts(value: string, now: number): DateParts | undefined {
  const imf = IMF_FIXDATE.exec(value);
  if (imf) return { day: imf[1]!, month: imf[2]!, year: Number(imf[3]), time: [imf[4]!, imf[5]!, imf[6]!] };
  const rfc850 = RFC850_DATE.exec(value);
  if (rfc850) {
    // Two-digit years more than 50 years in the future mean the past century (RFC 9110).
    const yy = Number(rfc850[3]);
    const year = 2000 + yy > new Date(now).getUTCFullYear() + 50 ? 1900 + yy : 2000 + yy;
    return { day: rfc850[1]!, month: rfc850[2]!, year, time: [rfc850[4]!, rfc850[5]!, rfc850[6]!] };
  }
  const asctime = ASCTIME_DATE.exec(value);
  if (asctime) {
    return { day: asctime[2]!, month: asctime[1]!, year: Number(asctime[6]), time: [asctime[3]!, asctime[4]!, asctime[5]!] };
  }
  return undefined;
}

/** Epoch ms of an RFC 9110 HTTP-date (any of its three forms), or undefined when `value` is not one. */
export function parseHttpDate(value: string, now: number = Date.now()): number | undefined {
  const parts = dateParts(value, now);
  if (!parts) return undefined;
  const monthIndex = MONTHS.indexOf(parts.month.toLowerCase());
  const [hh, mm, ss] = parts.time.map(Number) as [number, number, number];
  const dd = Number(parts.day.trim());
  if (monthIndex === -1 || hh > 23 || mm > 59 || ss > 60 || dd < 1 || dd > 31) return undefined;
  const at = Date.UTC(parts.year, monthIndex, dd, hh, mm, ss);
  // Reject dates that rolled over (e.g. 31 Feb).
  if (new Date(at).getUTCDate() !== dd) return undefined;
  return at;
}

/**
 * Retry-After in seconds: delta-seconds or an HTTP-date (seconds until then, rounded up,
 * never below 0). Anything else is undefined. Not capped here; only the sleep is.
 */
export function parseRetryAfter(raw: string | null | undefined, now: number = Date.now()): number | undefined {
  if (raw == null) return undefined;
  const value = raw.trim();
  if (value === '') return undefined;
  if (DELTA_SECONDS.test(value)) return Number(value);
  const at = parseHttpDate(value, now);
  if (at === undefined) return undefined;
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
export function errorFromResponse(
  status: number,
  headers: Record<string, string>,
  body: unknown,
  /** Why a non-JSON body is odd (e.g. an HTML page from a proxy); appended to "HTTP {status}". */
  bodyHint?: string,
): KnoxCallError {
  const summary = summarizeErrorBody(status, body);
  if (bodyHint !== undefined && !isObject(body)) summary.message = `${summary.message}: ${bodyHint}`;
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
export function headersToRecord(headers: { forEach(callback: (value: string, name: string) => void): void }): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name.toLowerCase()] = value;
  });
  return out;
}
