import {
  type KnoxWebhookCoreOptions,
  type KnoxWebhookError,
  type WebhookOutcome,
  type WebhookPathOption,
  createWebhookProcessor,
  pathnameOf,
  webhookRequestMatcher,
} from '@knoxcall/core/adapter';
import { verifyWebhookSync } from '@knoxcall/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { readExpressRawBody } from './raw-body.js';
import { setKnoxEvent } from './request-state.js';

/**
 * Options of `knoxWebhook()`: `secret` (string, array during a rotation, or a function of
 * the request), `format`, `headerName`, `toleranceSeconds`, `on` (typed `(event, req, res)`
 * handlers), `replayStore` (with `replayLeaseSeconds`, `replayStoreTimeoutMs`),
 * `maxBodyBytes` (default 1 MiB), `onError(error, req, res)` and `path`.
 */
export interface KnoxWebhookOptions extends KnoxWebhookCoreOptions<Request, [req: Request, res: Response]> {
  /**
   * For `app.use(knoxWebhook({ path, … }))` mounted globally: only a POST whose full path
   * (`req.originalUrl` without the query) is exactly this path, or one of these, is
   * verified; every other request passes through untouched. Without it, every request the
   * middleware is mounted on is verified.
   */
  path?: WebhookPathOption;
}

/**
 * Verifies KnoxCall deliveries on one route:
 * `app.post('/webhooks/knoxcall', knoxWebhook({ secret }), (req, res) => … getKnoxEvent(req) …)`,
 * `app.use('/webhooks/knoxcall', knoxWebhook({ secret, on }))`, or mounted globally with
 * `app.use(knoxWebhook({ path: '/webhooks/knoxcall', secret, on }))`.
 *
 * With `on` handlers it answers 200 `{ received: true }` itself once they resolved (unless
 * one answered); without them it attaches the event (`req.knoxEvent`) and calls `next()`.
 * Failures answer `{ error: { type, message } }` with the contract's status.
 */
export function knoxWebhook(options: KnoxWebhookOptions): RequestHandler {
  // Node-only package: the synchronous node:crypto verifier gives the same results as the
  // Web Crypto one without a thread-pool round trip per delivery.
  const processor = createWebhookProcessor(options, { where: 'knoxWebhook', verify: verifyWebhookSync });
  const isDelivery = webhookRequestMatcher(options.path, 'knoxWebhook');
  return function knoxWebhookMiddleware(req: Request, res: Response, next: NextFunction): void {
    if (isDelivery !== undefined && !isDelivery(req.method, pathnameOf(req.originalUrl ?? req.url))) {
      next();
      return;
    }
    processor
      .process({
        ctx: req,
        headers: req.headers,
        readBody: (limit) => readExpressRawBody(req, limit),
        args: [req, res],
        isAnswered: () => res.headersSent || res.writableEnded,
        attach: (event) => setKnoxEvent(req, event),
      })
      .then((outcome) => applyOutcome(outcome, req, res, next))
      // Express 4 does not catch rejected promises: hand anything unexpected to its error chain.
      .catch(next);
  };
}

function applyOutcome(outcome: WebhookOutcome, req: Request, res: Response, next: NextFunction): void {
  if (outcome.kind === 'answered') return;
  if (outcome.kind === 'next') {
    // The route's own handler answers: below 500 the delivery is processed (done); a 5xx, or
    // a connection closed before any answer, releases the lease so KnoxCall's retry is run.
    res.once('finish', () => void outcome.finishReplay(res.statusCode < 500));
    res.once('close', () => void outcome.finishReplay(false)); // after 'finish' this is ignored
    next();
    return;
  }
  if (res.headersSent) return;
  if (outcome.error !== undefined && readingStopped(outcome.error, req)) {
    // The rest of an oversize body is still on the wire: close the connection after the
    // answer instead of reading it, and drop what arrives meanwhile.
    res.set('Connection', 'close');
    req.resume();
  }
  if (outcome.headers !== undefined) res.set(outcome.headers);
  res.status(outcome.status).json(outcome.body);
}

function readingStopped(error: KnoxWebhookError, req: Request): boolean {
  return error.code === 'payload_too_large' && !req.readableEnded;
}
