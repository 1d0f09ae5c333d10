import { HttpException } from '@nestjs/common';
import { type KnoxWebhookError, type WebhookErrorBody, webhookErrorResponse } from '@knoxcall/core/adapter';

/**
 * A rejected webhook delivery as Nest sees it: an HttpException with the contract's status
 * (400, 401, 413, 415, 500) and body `{ error: { type, message } }`, so Nest's default
 * handler answers it as is and global exception filters see it. `knoxError` is the typed
 * core error (its `cause`, e.g. a handler's failure, is never in the body).
 */
export class KnoxWebhookException extends HttpException {
  readonly knoxError: KnoxWebhookError;
  constructor(error: KnoxWebhookError, answer: { status: number; body: WebhookErrorBody } = webhookErrorResponse(error)) {
    super(answer.body, answer.status, { cause: error });
    this.knoxError = error;
  }

  /** The contract's error code, e.g. `signature_mismatch`. */
  get code(): string {
    return this.knoxError.code;
  }
}

/**
 * A delivery already processed (`replayStore` said so) on a route you wrote: answered
 * 200 `{ received: true, duplicate: true }` without running your handler again. It is an
 * HttpException only because a guard cannot answer 200 otherwise; global filters that turn
 * every exception into an error page should let it through (`exception.getStatus() === 200`).
 */
export class KnoxWebhookDuplicateException extends HttpException {
  constructor() {
    super({ received: true, duplicate: true }, 200);
  }
}
