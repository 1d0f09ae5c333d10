import { constructWebhookEvent, isKnoxCallError } from '@knoxcall/core';
import { type WebhookHmacFormat, isAcceptedWebhookContentType } from '@knoxcall/core/adapter';
import type { AdapterUnderTest } from '../types.js';
import type { HeaderList, RawResponse } from './raw-http.js';

/**
 * The only answers an adapter may give a hostile delivery (no `on` handler throws, no replay
 * store): the statuses and codes of the contract's table, and 200 `{ received: true }`.
 */
export const DOCUMENTED_REJECTIONS: Readonly<Record<number, readonly string[]>> = {
  400: ['missing_header', 'malformed_header', 'invalid_payload'],
  401: ['signature_mismatch', 'timestamp_out_of_tolerance'],
  413: ['payload_too_large'],
  415: ['unsupported_media_type'],
};

/** Codes only the verifier produces: an adapter answering one must agree with core's verifier on the same bytes. */
const VERIFIER_CODES = new Set(['missing_header', 'malformed_header', 'invalid_payload', 'signature_mismatch', 'timestamp_out_of_tolerance']);

export interface VerifySettings {
  format: WebhookHmacFormat;
  secret: string;
  headerName?: string;
  maxBodyBytes: number;
}

/** What the request carried, as every framework receives it: repeated headers joined with ', ' (RFC 9110). */
export function receivedHeaders(headers: HeaderList): Record<string, string> {
  const joined: Record<string, string> = {};
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    joined[key] = joined[key] === undefined ? value : `${joined[key]}, ${value}`;
  }
  return joined;
}

/** Core's verifier on exactly what was sent: undefined when it accepts, else its error code. */
export function verifierCode(body: Uint8Array, headers: HeaderList, settings: VerifySettings): string | undefined {
  try {
    constructWebhookEvent(body, receivedHeaders(headers), settings.secret, {
      format: settings.format,
      ...(settings.headerName !== undefined ? { headerName: settings.headerName } : {}),
    });
    return undefined;
  } catch (error) {
    return isKnoxCallError(error) ? String(error.code) : `unexpected ${String(error)}`;
  }
}

/** The error code in an answer's body, in the contract's shape or the adapter's own (`readErrorCode`). */
export function errorCodeOf(adapter: AdapterUnderTest, body: unknown): unknown {
  if (adapter.readErrorCode !== undefined) return adapter.readErrorCode(body);
  if (body === null || typeof body !== 'object') return undefined;
  const keys = Object.keys(body);
  const error = (body as { error?: unknown }).error;
  if (keys.length !== 1 || error === null || typeof error !== 'object') return undefined;
  const { type, message } = error as { type?: unknown; message?: unknown };
  if (Object.keys(error).length !== 2 || typeof message !== 'string') return undefined;
  return type;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Judges one answer to a delivery: undefined when it is allowed, else what is wrong.
 * Beyond "documented status and body", the answer must agree with core's verifier on the
 * bytes sent (an adapter never accepts what the verifier rejects, nor rejects with another
 * verifier code), and 413/415 need a reason that the request really had.
 */
export function judgeAnswer(
  adapter: AdapterUnderTest,
  settings: VerifySettings,
  request: { body: Uint8Array; headers: HeaderList },
  response: RawResponse,
): string | undefined {
  const { status, text } = response;
  if (text.includes(settings.secret)) return 'the answer contains the secret';
  const body = parseJson(text);
  const contentTypes = request.headers.filter(([name]) => name.toLowerCase() === 'content-type').map(([, value]) => value);
  // Every adapter follows one rule: the first Content-Type value judges (an empty one is
  // missing), and a body is refused 415 unless every Content-Encoding coding listed is identity.
  const firstType = contentTypes[0]?.split(',', 1)[0]?.trim() || undefined;
  const refusedType = firstType !== undefined && !isAcceptedWebhookContentType(firstType);
  const codings = request.headers
    .filter(([name]) => name.toLowerCase() === 'content-encoding')
    .flatMap(([, value]) => value.split(','))
    .map((coding) => coding.trim().toLowerCase());
  const refusedEncoding = codings.some((coding) => coding !== '' && coding !== 'identity');
  const oversize = request.body.byteLength > settings.maxBodyBytes;
  const expected = verifierCode(request.body, request.headers, settings);

  if (status === 200) {
    if (JSON.stringify(body) !== '{"received":true}') return `200 with an undocumented body`;
    if (expected !== undefined) return `accepted a delivery core's verifier rejects (${expected})`;
    if (oversize) return `accepted a body over maxBodyBytes (${request.body.byteLength} bytes)`;
    if (refusedType) return 'accepted a refused Content-Type';
    if (refusedEncoding) return 'accepted an encoded body';
    return undefined;
  }
  const allowed = DOCUMENTED_REJECTIONS[status];
  if (allowed === undefined) return `undocumented status ${status}`;
  const code = errorCodeOf(adapter, body);
  if (typeof code !== 'string' || !allowed.includes(code)) return `status ${status} with an undocumented body`;
  if (code === 'unsupported_media_type') {
    return refusedType || refusedEncoding ? undefined : '415 for an accepted Content-Type and encoding';
  }
  if (refusedType) return `${status} ${code} instead of 415 for a refused Content-Type`;
  if (refusedEncoding && code !== 'payload_too_large') return `${status} ${code} instead of 415 for an encoded body`;
  if (code === 'payload_too_large') return oversize ? undefined : `413 for a body within maxBodyBytes (${request.body.byteLength} bytes)`;
  if (oversize) return `${status} ${code} instead of 413 for a body over maxBodyBytes`;
  if (VERIFIER_CODES.has(code) && code !== expected) {
    return `${status} ${code}, but core's verifier says ${expected ?? 'valid'} for the same bytes`;
  }
  return undefined;
}
