import {
  type KnoxWebhookCoreOptions,
  type WebhookActions,
  type WebhookPathOption,
  createWebhookProcessor,
  reportWhenResponseEnds,
  pathnameOf,
  webhookRequestMatcher,
} from '@knoxcall/core/adapter';
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
  // The processor's own verifier: on Node (core's Node build, which this package loads, gives
  // it node:crypto) it answers synchronously, and without a replay store it skips the HMAC
  // the replay key is made of.
  const processor = createWebhookProcessor(options, expressActions, { where: 'knoxWebhook' });
  const isDelivery = webhookRequestMatcher(options.path, 'knoxWebhook');
  return function knoxWebhookMiddleware(req: Request, res: Response, next: NextFunction): void {
    if (isDelivery !== undefined && !isDelivery(req.method, pathnameOf(req.originalUrl ?? req.url))) {
      next();
      return;
    }
    // A throw reaches Express's error chain by itself; a rejected promise does not on Express 4.
    const handled = processor.handle({ req, res, next });
    if (handled instanceof Promise) handled.catch(next);
  };
}

/** One delivery as Express hands it to a middleware. */
interface ExpressDelivery {
  req: Request;
  res: Response;
  next: NextFunction;
}

/** What Express calls each action of core's webhook processor. */
const expressActions: WebhookActions<ExpressDelivery, Request, [req: Request, res: Response], void> = {
  headers: ({ req }) => req.headers,
  readBody: ({ req }, maxBodyBytes) => readExpressRawBody(req, maxBodyBytes),
  secretContext: ({ req }) => req,
  callHandler: ({ req, res }, handler, first) => handler(first, req, res),
  attachEvent: ({ req }, event) => setKnoxEvent(req, event),
  answeredBy: ({ res }) => res.headersSent || res.writableEnded,
  answer({ req, res }, reply) {
    if (reply.discardBody) req.resume();
    if (reply.headers !== undefined) res.set(reply.headers);
    res.status(reply.status).json(reply.body);
  },
  passOn({ res, next }, route) {
    reportWhenResponseEnds(res, route);
    next();
  },
};
