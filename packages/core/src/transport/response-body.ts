import { headersToRecord } from '../error-from-response.js';
import { KnoxCallError } from '../errors.js';
import type { ResponseHeaderReader } from './direct-sender.js';

/** A response body read in full and parsed the way contract transport §3.5 step 3 says. */
export interface ParsedBody {
  /** JSON if it parses, else the raw text; an empty body is `null`. */
  value: unknown;
  /** Lower-cased media type without parameters, '' when absent. */
  mediaType: string;
  /** The server labelled the body JSON but it did not parse (truncated or malformed). */
  malformedJson: boolean;
}

function mediaTypeOf(headers: ResponseHeaderReader): string {
  const raw = headers.get('content-type') ?? '';
  const semicolon = raw.indexOf(';');
  return (semicolon === -1 ? raw : raw.slice(0, semicolon)).trim().toLowerCase();
}

export function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || (mediaType.startsWith('application/') && mediaType.endsWith('+json'));
}

export function parseBodyText(text: string, mediaType: string): ParsedBody {
  if (text === '') return { value: null, mediaType, malformedJson: false };
  try {
    return { value: JSON.parse(text) as unknown, mediaType, malformedJson: false };
  } catch {
    return { value: text, mediaType, malformedJson: isJsonMediaType(mediaType) };
  }
}

export async function readResponseBody(response: Response): Promise<ParsedBody> {
  const mediaType = mediaTypeOf(response.headers);
  return parseBodyText(await response.text(), mediaType);
}

/** The same for a body a direct sender has already read as text. */
export function parseResponseText(text: string, headers: ResponseHeaderReader): ParsedBody {
  return parseBodyText(text, mediaTypeOf(headers));
}

const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);

/** Why a body cannot be what the management API answers, or undefined when it is fine. */
export function unexpectedBodyReason(parsed: ParsedBody, url: string): string | undefined {
  if (parsed.malformedJson) {
    return `the response from ${url} is labelled ${parsed.mediaType} but is not valid JSON (truncated or malformed body)`;
  }
  if (HTML_TYPES.has(parsed.mediaType)) {
    return `expected JSON from ${url} but got ${parsed.mediaType} (a proxy in between?)`;
  }
  return undefined;
}

/**
 * The parsed value of a successful (2xx) management response, or a typed error naming the
 * cause when it is HTML (a proxy's page) or JSON that does not parse. Plain-text bodies
 * such as PEM certificates are legitimate and returned as strings.
 */
export function successValue(parsed: ParsedBody, url: string, status: number, headers: ResponseHeaderReader | Record<string, string>): unknown {
  const reason = unexpectedBodyReason(parsed, url);
  if (reason !== undefined) {
    const record = isHeaderReader(headers) ? headersToRecord(headers) : headers;
    throw new KnoxCallError(reason, { status, code: 'invalid_response', headers: record, body: parsed.value });
  }
  return parsed.value;
}

// A header record's values are strings, so a `get` function marks the reader.
function isHeaderReader(headers: ResponseHeaderReader | Record<string, string>): headers is ResponseHeaderReader {
  return typeof headers.get === 'function';
}
