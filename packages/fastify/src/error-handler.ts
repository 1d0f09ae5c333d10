import { knoxErrorToResponse } from '@knoxcall/core/adapter';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/** The error handler `knoxErrorHandler()` returns (the signature `setErrorHandler` takes). */
export type KnoxFastifyErrorHandler = (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => unknown;

/**
 * An error handler for KnoxCall errors thrown in your routes: `app.setErrorHandler(knoxErrorHandler())`.
 * A rejected credential or a KnoxCall outage becomes 502/503/504, a 404, 409 or 422 passes
 * through, always as `{ error: { type, message, request_id } }` with `Retry-After` when
 * KnoxCall gave one; a knoxWebhook failure is answered `{ error: { type, message } }` with
 * the contract's status. Any other error is re-thrown, which in Fastify hands it to the
 * next error handler up the chain (the parent context's, finally Fastify's default).
 */
export function knoxErrorHandler(): KnoxFastifyErrorHandler {
  return function knoxFastifyErrorHandler(error, request, reply) {
    const response = knoxErrorToResponse(error);
    if (response === undefined) throw error;
    if (reply.sent) return reply;
    // A custom error handler replaces Fastify's logging of server errors: keep it for ours.
    if (response.status >= 500) request.log.error({ err: error }, `KnoxCall error answered ${response.status}`);
    reply.code(response.status).headers(response.headers).type('application/json; charset=utf-8');
    return response.body;
  };
}
