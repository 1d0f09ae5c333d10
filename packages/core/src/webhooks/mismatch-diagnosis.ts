/**
 * Diagnoses appended to an error message when the likely cause is on the receiving side:
 * a body that was parsed and re-serialized before verification, or a signature header of
 * another format than the one configured. They never quote the body, the secret or a
 * signature.
 */
import { type HeaderMap, readWebhookHeader } from '../http/headers.js';
import { bodyText, type RawBody } from './raw-body.js';
import { SIGNATURE_HEADERS } from './verify-options.js';

/**
 * Why a signature may have failed although the secret is right. A body that is exactly
 * what `JSON.stringify` makes of its own parsed value (compact or 2-space indented) is what
 * frameworks hand over after a JSON body parser ran; KnoxCall's own bytes may look the same,
 * so the diagnosis is worded as a hint, not a verdict.
 */
export function diagnoseSignatureMismatch(body: RawBody): string | undefined {
  if (body.byteLength === 0) {
    return 'the body is empty; was the raw body consumed by a body parser before verification?';
  }
  // Re-parsing a large body on every bad signature would hand an attacker cheap CPU work.
  if (body.byteLength > 64 * 1024) return undefined;
  const text = bodyText(body);
  if (text === undefined) return undefined;
  if (text === '[object Object]') {
    return 'the body is the string "[object Object]": a parsed object was converted to a string; pass the raw request bytes';
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  if (JSON.stringify(parsed) === text || JSON.stringify(parsed, null, 2) === text) {
    return 'the body is exactly what JSON.stringify makes of it, which is how a re-serialized parsed body looks; if a JSON body parser ran first, pass the raw request bytes (otherwise check the secret)';
  }
  return undefined;
}

/** When the configured header is missing but another format's header is present. */
export function diagnoseMissingHeader(headers: HeaderMap, wanted: string): string | undefined {
  for (const [format, name] of Object.entries(SIGNATURE_HEADERS)) {
    if (name !== wanted && readWebhookHeader(headers, name) !== undefined) {
      return `the request has a ${name} header; is the format option right (format: '${format}')?`;
    }
  }
  return undefined;
}
