/**
 * Typing of AI data-plane error bodies (contract transport §5.7). The SDK makes no AI
 * data-plane calls itself; these helpers let an app turn what its provider client received
 * from `/v1/ai/…` or `/v1/mcp/…` into an `AIGatewayError`. `exchangeToken` uses them too.
 */
import { AIGatewayError } from '../../errors.js';

/** The AI data-plane error envelope: `error` and `code` carry the same string. */
export interface AIGatewayErrorBody {
  error: string;
  code: string;
  error_description: string;
  request_id?: string;
  /** Extra members (e.g. `utilization_pct`) are kept in `AIGatewayError.body`. */
  [key: string]: unknown;
}

/** Known codes; others pass through. */
export type AIGatewayErrorCode = 'budget_exceeded' | 'model_not_allowed' | 'firewall_block' | 'ai_gateway_unavailable' | (string & {});

/** Header containers a provider client may hand over. */
export type AIGatewayErrorHeaders = Headers | Record<string, string | string[] | undefined>;

/**
 * True iff `body` is an object whose `error`, `code` and `error_description` are strings
 * and `error === code`. An OAuth body (no `code`), the management envelope (`error` is an
 * object) and legacy bodies where the two differ are not AI-gateway errors.
 */
export function isAIGatewayErrorBody(body: unknown): body is AIGatewayErrorBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const { error, code, error_description } = body as Record<string, unknown>;
  return typeof error === 'string' && typeof code === 'string' && typeof error_description === 'string' && error === code;
}

function isHeadersLike(value: AIGatewayErrorHeaders): value is Headers {
  const candidate = value as Partial<Headers>;
  return typeof candidate.forEach === 'function' && typeof candidate.get === 'function';
}

function lowerCasedRecord(headers: AIGatewayErrorHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === undefined) return out;
  // Duck-typed rather than `instanceof Headers`: provider SDKs may bring their own fetch polyfill.
  if (isHeadersLike(headers)) {
    headers.forEach((value, name) => {
      out[name.toLowerCase()] = value;
    });
    return out;
  }
  for (const [name, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Digits-only seconds; absent, empty or an HTTP-date give undefined (never a made-up 0). */
function digitsOnlyRetryAfter(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = raw.trim();
  return /^\d+$/.test(value) ? Number(value) : undefined;
}

/**
 * The `AIGatewayError` for an AI data-plane error response, or `null` when `body` is not
 * that envelope (see `isAIGatewayErrorBody`). `headers` may be a `Headers` object or a
 * plain record with names in any case.
 */
export function aiGatewayErrorFrom(status: number, body: unknown, headers?: AIGatewayErrorHeaders): AIGatewayError | null {
  if (!isAIGatewayErrorBody(body)) return null;
  const record = lowerCasedRecord(headers);
  const headerRequestId = record['x-request-id'];
  const requestId =
    headerRequestId !== undefined && headerRequestId !== '' ? headerRequestId : typeof body.request_id === 'string' ? body.request_id : undefined;
  return new AIGatewayError(body.error_description, {
    status,
    code: body.code,
    errorDescription: body.error_description,
    retryAfter: digitsOnlyRetryAfter(record['retry-after']),
    requestId,
    headers: record,
    body,
  });
}
