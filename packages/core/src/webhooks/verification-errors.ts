/**
 * Every failure of the verifier, with the contract's exact message (webhooks.md §4, §5) as
 * the prefix and its stable code. A diagnosis may follow the prefix after " — ".
 *
 * Nothing here ever interpolates a secret or a signature value: the only caller-supplied
 * text that reaches a message is a format name or a header name (configuration, not
 * secrets), and both are shortened and stripped of control characters first.
 */
import { type WebhookErrorCode, WebhookSignatureVerificationError } from '../errors.js';

export const MESSAGES = {
  signatureMismatch: 'webhook signature verification failed',
  missingHeader: 'missing webhook signature header',
  malformedStripeHeader: 'malformed Stripe-Signature header',
  malformedStripeTimestamp: 'malformed Stripe-Signature timestamp',
  malformedSlackTimestamp: 'malformed X-Slack-Request-Timestamp header',
  outsideTolerance: 'webhook timestamp outside the tolerance window',
  envelopeTimestampInvalid: 'webhook envelope timestamp is missing or invalid',
  notJson: 'webhook body is not valid JSON',
  notJsonObject: 'webhook body is not a JSON object',
  bodyNotBytes: 'webhook body must be a string or bytes',
  secretRequired: 'webhook secret is required',
  headerNameRequired: 'header_name is required when format="custom"',
  unknownFormat: 'unknown webhook signature format',
  invalidTolerance: 'invalid toleranceSeconds: must be a non-negative number or null',
  invalidOptions: 'invalid webhook verification options',
  webCryptoUnavailable: 'Web Crypto (crypto.subtle) is not available on this runtime',
} as const;

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
    text = typeof value === 'string' ? value : String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  if (text.length > 64 || /^whsec_/i.test(text)) return `<${text.length} characters, not shown>`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  return text.replace(/[\u0000-\u001f\u007f]/g, '?');
}

export const webhookErrors = {
  signatureMismatch: (diagnosis?: string) => fail('signature_mismatch', MESSAGES.signatureMismatch, diagnosis),
  missingHeader: (lowerCaseName: string, diagnosis?: string) =>
    fail('missing_header', `${MESSAGES.missingHeader} (${describeConfigValue(lowerCaseName)})`, diagnosis),
  malformedStripeHeader: () => fail('malformed_header', MESSAGES.malformedStripeHeader),
  malformedStripeTimestamp: () => fail('malformed_header', MESSAGES.malformedStripeTimestamp),
  malformedSlackTimestamp: () => fail('malformed_header', MESSAGES.malformedSlackTimestamp),
  outsideTolerance: () => fail('timestamp_out_of_tolerance', MESSAGES.outsideTolerance),
  envelopeTimestampInvalid: () => fail('timestamp_out_of_tolerance', MESSAGES.envelopeTimestampInvalid),
  notJson: () => fail('invalid_payload', MESSAGES.notJson),
  notJsonObject: (diagnosis?: string) => fail('invalid_payload', MESSAGES.notJsonObject, diagnosis),
  bodyNotBytes: (diagnosis: string) => fail('invalid_payload', MESSAGES.bodyNotBytes, diagnosis),
  secretRequired: (diagnosis?: string) => fail('invalid_configuration', MESSAGES.secretRequired, diagnosis),
  headerNameRequired: () => fail('invalid_configuration', MESSAGES.headerNameRequired),
  unknownFormat: (format: unknown) =>
    fail(
      'invalid_configuration',
      `${MESSAGES.unknownFormat}: '${describeConfigValue(format)}'`,
      "use one of 'legacy', 'stripe', 'github', 'slack', 'aws-sns', 'custom'",
    ),
  invalidTolerance: () => fail('invalid_configuration', MESSAGES.invalidTolerance),
  invalidOptions: (diagnosis: string) => fail('invalid_configuration', MESSAGES.invalidOptions, diagnosis),
  webCryptoUnavailable: () =>
    fail(
      'invalid_configuration',
      MESSAGES.webCryptoUnavailable,
      'use constructWebhookEvent from @knoxcall/core on Node, or a runtime with globalThis.crypto',
    ),
};
