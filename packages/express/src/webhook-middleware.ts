import {
  type KnoxWebhookCoreOptions,
  type KnoxWebhookError,
  type WebhookOutcome,
  createWebhookProcessor,
} from '@knoxcall/core/adapter';
import { verifyWebhookSync } from '@knoxcall/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { readExpressRawBody } from './raw-body.js';
import { setKnoxEvent } from './request-state.js';

/**
 * Options of `knoxWebhook()`: `secret` (string, array during a rotation, or a function of
 * the request), `format`, `headerName`, `toleranceSeconds`, `on` (typed `(event, req, res)`
 * handlers), `replayStore`, `maxBodyBytes` (default 1 MiB) and `onError(error, req, res)`.
 */
export type KnoxWebhookOptions = KnoxWebhookCoreOptions<Request, [req: Request, res: Response]>;

/**
 * Verifies KnoxCall deliveries on one route:
 * `app.post('/webhooks/knoxcall', knoxWebhook({ secret }), (req, res) => … getKnoxEvent(req) …)`.
 *
 * With `on` handlers it answers 200 `{ received: true }` itself once they resolved (unless
 * one answered); without them it attaches the event (`req.knoxEvent`) and calls `next()`.
 * Failures answer `{ error: { type, message } }` with the contract's status.
 */
export function knoxWebhook(options: KnoxWebhookOptions): RequestHandler {
  // Node-only package: the synchronous node:crypto verifier gives the same results as the
  // Web Crypto one without a thread-pool round trip per delivery.
  const processor = createWebhookProcessor(options, { where: 'knoxWebhook', verify: verifyWebhookSync });
  return function knoxWebhookMiddleware(req: Request, res: Response, next: NextFunction): void {
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
    // The route's own handler answers; if it fails (5xx), forget the replay claim so that
    // KnoxCall's retry of this delivery is processed rather than answered "duplicate".
    res.once('finish', () => {
      if (res.statusCode >= 500) void outcome.releaseReplay();
    });
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
  res.status(outcome.status).json(outcome.body);
}

function readingStopped(error: KnoxWebhookError, req: Request): boolean {
  return error.code === 'payload_too_large' && !req.readableEnded;
}
