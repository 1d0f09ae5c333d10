import { rawBodyUnavailableError, readBodyWithLimit } from '@knoxcall/core/adapter';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** KnoxCall's `application/json` and any `application/*+json` (parameters such as charset allowed). */
const STRUCTURED_JSON = /^application\/[\w!#$%&'*.^`|~-]+\+json\s*(?:;|$)/;

/** Where an unread body waits for the webhook route: any content type without a JSON parser, or none. */
const DEFERRED = Symbol.for('knoxcall.fastify.deferredBody');

interface DeferredBody {
  [DEFERRED]: NodeJS.ReadableStream;
}

const FASTIFY_FIX =
  'knoxWebhook keeps the raw bytes with its own parsers inside its encapsulated context, but request.body was replaced before its route ran — ' +
  'look for a hook that applies to the webhook route (an app-level preValidation or preHandler hook setting request.body) and skip it for that route; ' +
  'register knoxWebhook on its own with await app.register(knoxWebhook, { path, secret, … }), never wrapped in fastify-plugin.';

/**
 * Replaces the parsers of the webhook's own encapsulated context (the app's JSON parsing
 * elsewhere, and Fastify's prototype-poisoning protection there, are untouched):
 * - JSON bodies are kept as the exact Buffer received (`parseAs: 'buffer'`, Fastify's fast
 *   reader, capped at `maxBodyBytes`);
 * - anything else, including a body without Content-Type, is left unread for the route,
 *   where the webhook core answers a wrong content type 415 without reading the body and
 *   reads an accepted one itself, within `maxBodyBytes`.
 */
export function installRawBodyParsers(fastify: FastifyInstance, maxBodyBytes: number): void {
  fastify.removeAllContentTypeParsers();
  const keepBuffer = (_request: FastifyRequest, body: Buffer, done: (err: null, body: Buffer) => void): void => {
    done(null, body);
  };
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: maxBodyBytes }, keepBuffer);
  fastify.addContentTypeParser(STRUCTURED_JSON, { parseAs: 'buffer', bodyLimit: maxBodyBytes }, keepBuffer);
  fastify.addContentTypeParser('*', (_request, payload, done) => {
    done(null, { [DEFERRED]: payload } satisfies DeferredBody);
  });
}

/**
 * Leaves the request's unread body for the webhook route as the `'*'` parser does — for a
 * request Fastify refused before parsing (a blank Content-Type), whose body is still unread.
 */
export function deferBody(request: FastifyRequest): void {
  const { headers } = request;
  const hasBody = headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0');
  request.body = hasBody ? ({ [DEFERRED]: request.raw } satisfies DeferredBody) : undefined;
}

const EMPTY = new Uint8Array(0);

/** The exact bytes of the webhook request's body (see installRawBodyParsers). */
export function webhookBodyBytes(request: FastifyRequest, maxBodyBytes: number): Uint8Array | Promise<Uint8Array> {
  const body: unknown = request.body;
  if (body instanceof Uint8Array) return body;
  // No body at all (no Content-Type and no Content-Length / a zero one): Fastify parses nothing.
  if (body === undefined || body === null) return EMPTY;
  const deferred = (body as Partial<DeferredBody>)[DEFERRED];
  if (deferred !== undefined) return readBodyWithLimit(deferred as AsyncIterable<Uint8Array>, maxBodyBytes);
  throw rawBodyUnavailableError(FASTIFY_FIX);
}
