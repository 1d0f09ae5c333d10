import { knoxErrorToResponse } from '@knoxcall/core/adapter';
import type { ErrorRequestHandler } from 'express';

/**
 * Express error middleware for KnoxCall errors thrown in your handlers (mount it after
 * your routes): a rejected credential or a KnoxCall outage becomes 502/503/504, a 404, 409
 * or 422 passes through, always as `{ error: { type, message, request_id } }` and with
 * `Retry-After` when KnoxCall gave one. Any other error goes to the next error handler.
 */
export function knoxErrorHandler(): ErrorRequestHandler {
  return function knoxErrorMiddleware(err, _req, res, next) {
    const response = knoxErrorToResponse(err);
    if (response === undefined || res.headersSent) {
      next(err);
      return;
    }
    res.status(response.status).set(response.headers).json(response.body);
  };
}
