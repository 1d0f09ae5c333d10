/**
 * Every failure of the verifier, with the contract's exact message (webhooks.md §4, §5) as
 * the prefix and its stable code. A diagnosis may follow the prefix after " — ".
 *
 * One function per failure (not an object of them), so a minifier shortens their names and
 * drops the ones a bundle never reaches (edge bundles are size-budgeted).
 *
 * Nothing here ever interpolates a secret or a signature value: the only caller-supplied
 * text that reaches a message is a format name or a header name (configuration, not
 * secrets), and both are shortened and stripped of control characters first.
 */
import { type WebhookErrorCode, WebhookSignatureVerificationError } from '../errors.js';

function fail(code: WebhookErrorCode, message: string, diagnosis?: string): WebhookSignatureVerificationError {
  return new WebhookSignatureVerificationError(diagnosis ? `${message} — ${diagnosis}` : message, code);
}

/**
 * A short, printable rendering of configuration text for a message. Text that looks like a
 * secret (a `whsec_` prefix, or longer than any format or header name) is not shown, in
 * case a secret was passed in the wrong argument.
 */
export function describeConfigValue(value: unknown): string {
  let text: string;
  try {
    text = String(value);
  } catch {
    text = typeof value; // e.g. an object whose toString throws
  }
  if (text.length > 64 || /^whsec_/i.test(text)) return '<not shown>';
  return text.replace(/[^\x20-\x7e]/g, '?'); // printable ASCII only, like every echoed value
}

const CONFIGURATION = 'invalid_configuration';
const PAYLOAD = 'invalid_payload';

export const signatureMismatchError = (diagnosis?: string) => fail('signature_mismatch', 'webhook signature verification failed', diagnosis);
export const missingHeaderError = (lowerCaseName: string, diagnosis?: string) =>
  fail('missing_header', `missing webhook signature header (${describeConfigValue(lowerCaseName)})`, diagnosis);
/** `what`: 'Stripe-Signature header', 'Stripe-Signature timestamp' or 'X-Slack-Request-Timestamp header'. */
export const malformedError = (what: string) => fail('malformed_header', `malformed ${what}`);
export const outsideToleranceError = () => fail('timestamp_out_of_tolerance', 'webhook timestamp outside the tolerance window');
export const envelopeTimestampInvalidError = () => fail('timestamp_out_of_tolerance', 'webhook envelope timestamp is missing or invalid');
export const notJsonError = () => fail(PAYLOAD, 'webhook body is not valid JSON');
export const notJsonObjectError = (diagnosis?: string) => fail(PAYLOAD, 'webhook body is not a JSON object', diagnosis);
export const bodyNotBytesError = (diagnosis: string) => fail(PAYLOAD, 'webhook body must be a string or bytes', diagnosis);
export const secretRequiredError = (diagnosis?: string) => fail(CONFIGURATION, 'webhook secret is required', diagnosis);
export const headerNameRequiredError = () => fail(CONFIGURATION, 'header_name is required when format="custom"');
export const unknownFormatError = (format: unknown, formats: readonly string[]) =>
  fail(CONFIGURATION, `unknown webhook signature format: '${describeConfigValue(format)}'`, `use one of '${formats.join("', '")}'`);
export const invalidToleranceError = () => fail(CONFIGURATION, 'invalid toleranceSeconds: must be a non-negative number or null');
export const invalidOptionsError = (diagnosis: string) => fail(CONFIGURATION, 'invalid webhook verification options', diagnosis);
export const webCryptoUnavailableError = () =>
  fail(CONFIGURATION, 'Web Crypto (crypto.subtle) is not available on this runtime', 'use a runtime with globalThis.crypto');
