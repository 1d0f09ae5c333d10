/**
 * Every error the SDK throws. Checks work across copies of the package (the ESM and CJS
 * builds loaded in one process each define their own classes), through a `Symbol.for`
 * brand: use `isKnoxCallError(err)` rather than `instanceof` when that matters.
 *
 * Errors never carry request headers, so credentials cannot leak through them.
 */

import { brandErrorKind } from './error-kind.js';

export const KNOXCALL_ERROR_BRAND: unique symbol = Symbol.for('knoxcall.error') as never;

export interface KnoxCallErrorInit {
  status?: number | undefined;
  code?: string | undefined;
  requestId?: string | undefined;
  headers?: Record<string, string> | undefined;
  body?: unknown;
  cause?: unknown;
}

export class KnoxCallError extends Error {
  static readonly errorName: string = 'KnoxCallError';
  // `declare`: assigned in the constructor; no separate field definitions in the output
  // (edge bundles that carry this class are size-budgeted).
  declare readonly status: number | undefined;
  declare readonly code: string | undefined;
  declare readonly requestId: string | undefined;
  declare readonly headers: Record<string, string>;
  declare readonly body: unknown;

  constructor(message: string, init: KnoxCallErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    // The class's own written-out `errorName`, not just `new.target.name`: minifiers rename
    // classes, and `name` is part of the contract (transport §5.1). A static field per class
    // (rather than one table of every class) lets bundlers drop the classes an app never
    // uses. A user's own subclass has no own `errorName`, so it keeps its own name.
    this.name = Object.hasOwn(new.target, 'errorName') ? (new.target as typeof KnoxCallError).errorName : new.target.name;
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.headers = init.headers ?? {};
    this.body = init.body;
    Object.defineProperty(this, KNOXCALL_ERROR_BRAND, { value: true });
  }
}

/** True for any error thrown by any copy of `@knoxcall/core` (ESM or CJS build). */
export function isKnoxCallError(value: unknown): value is KnoxCallError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[KNOXCALL_ERROR_BRAND] === true;
}

export class APIConnectionError extends KnoxCallError {
  static override readonly errorName: string = 'APIConnectionError';
  constructor(message: string, init: KnoxCallErrorInit = {}) {
    super(message, init);
    brandErrorKind(this, 'connection');
  }
}

export class APIConnectionTimeoutError extends APIConnectionError {
  static override readonly errorName: string = 'APIConnectionTimeoutError';
  constructor(message = 'Request timed out', init: KnoxCallErrorInit = {}) {
    super(message, init);
    brandErrorKind(this, 'timeout');
  }
}

export class APIUserAbortError extends KnoxCallError {
  static override readonly errorName: string = 'APIUserAbortError';
  constructor(message = 'Request aborted', init: KnoxCallErrorInit = {}) {
    super(message, init);
    brandErrorKind(this, 'abort');
  }
}

export class AuthenticationError extends KnoxCallError {
  static override readonly errorName: string = 'AuthenticationError';
}
export class PaymentRequiredError extends KnoxCallError {
  static override readonly errorName: string = 'PaymentRequiredError';
}
export class PermissionDeniedError extends KnoxCallError {
  static override readonly errorName: string = 'PermissionDeniedError';
}
/** @deprecated use `PermissionDeniedError` (same class). */
export const PermissionError = PermissionDeniedError;
/** @deprecated use `PermissionDeniedError` (same class). */
export type PermissionError = PermissionDeniedError;
export class NotFoundError extends KnoxCallError {
  static override readonly errorName: string = 'NotFoundError';
}
export class ConflictError extends KnoxCallError {
  static override readonly errorName: string = 'ConflictError';
}

export class ValidationError extends KnoxCallError {
  static override readonly errorName: string = 'ValidationError';
  readonly fields: Record<string, string[]>;
  constructor(message: string, init: KnoxCallErrorInit & { fields?: Record<string, string[]> } = {}) {
    super(message, init);
    this.fields = init.fields ?? {};
  }
}

export class RateLimitError extends KnoxCallError {
  static override readonly errorName: string = 'RateLimitError';
  /** Seconds the server asked us to wait, uncapped; undefined when it did not say. */
  readonly retryAfter: number | undefined;
  constructor(message: string, init: KnoxCallErrorInit & { retryAfter?: number | undefined } = {}) {
    super(message, init);
    this.retryAfter = init.retryAfter;
  }
}

export class ServerError extends KnoxCallError {
  static override readonly errorName: string = 'ServerError';
  readonly retryAfter: number | undefined;
  constructor(message: string, init: KnoxCallErrorInit & { retryAfter?: number | undefined } = {}) {
    super(message, init);
    this.retryAfter = init.retryAfter;
  }
}

/** Configuration or credential-source problems: conflicting options, bad tenant slug, … */
export class BootstrapError extends KnoxCallError {
  static override readonly errorName: string = 'BootstrapError';
}

/** No credential was found anywhere, or interactive login was refused. */
export class NotAuthenticatedError extends BootstrapError {
  static override readonly errorName: string = 'NotAuthenticatedError';
}

/**
 * Stable codes of webhook verification failures; they also fix the HTTP status every
 * framework adapter answers with (see `webhookErrorStatus`).
 */
export type WebhookErrorCode =
  | 'missing_header'
  | 'malformed_header'
  | 'invalid_payload'
  | 'signature_mismatch'
  | 'timestamp_out_of_tolerance'
  | 'invalid_configuration'
  // Raised by adapters, never by the verifier itself:
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'raw_body_unavailable';

const WEBHOOK_ERROR_STATUS: Record<WebhookErrorCode, number> = {
  missing_header: 400,
  malformed_header: 400,
  invalid_payload: 400,
  signature_mismatch: 401,
  timestamp_out_of_tolerance: 401,
  invalid_configuration: 500,
  payload_too_large: 413,
  unsupported_media_type: 415,
  raw_body_unavailable: 500,
};

/** The HTTP status an adapter answers a webhook failure with. */
export function webhookErrorStatus(code: WebhookErrorCode): number {
  return WEBHOOK_ERROR_STATUS[code];
}

/**
 * Any webhook verification failure. Its message never contains the secret or any
 * signature value. `status` stays undefined (it describes no HTTP response we received);
 * adapters use `httpStatus` for what they answer.
 */
export class WebhookSignatureVerificationError extends KnoxCallError {
  static override readonly errorName: string = 'WebhookSignatureVerificationError';
  declare readonly code: WebhookErrorCode;
  constructor(message: string, code: WebhookErrorCode, cause?: unknown) {
    super(message, { code, cause });
  }
  /** The status a receiving app should answer with. */
  get httpStatus(): number {
    return webhookErrorStatus(this.code);
  }
}

export class AIGatewayError extends KnoxCallError {
  static override readonly errorName: string = 'AIGatewayError';
  declare readonly code: string;
  readonly errorDescription: string;
  readonly retryAfter: number | undefined;
  constructor(message: string, init: KnoxCallErrorInit & { code: string; errorDescription: string; retryAfter?: number | undefined }) {
    super(message, init);
    this.errorDescription = init.errorDescription;
    this.retryAfter = init.retryAfter;
  }
}

export class SignupError extends KnoxCallError {
  static override readonly errorName: string = 'SignupError';
  /** Same as `code`. */
  get type(): string | undefined {
    return this.code;
  }
}

export class TokenExchangeError extends KnoxCallError {
  static override readonly errorName: string = 'TokenExchangeError';
  /** Same as `code`. */
  get type(): string | undefined {
    return this.code;
  }
}

export class StaleAssertionError extends KnoxCallError {
  static override readonly errorName: string = 'StaleAssertionError';
}

export class WrapSandboxMismatchError extends KnoxCallError {
  static override readonly errorName: string = 'WrapSandboxMismatchError';
}
