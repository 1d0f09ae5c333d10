import type { RouteWatch } from './webhook-actions.js';

/** A Node `ServerResponse` (Express's `res`, Fastify's `reply.raw`) as far as telling how a route ended. */
export interface EndingResponse {
  readonly statusCode: number;
  once(event: 'finish' | 'close', listener: () => void): unknown;
}

/**
 * Reports to `route` how the route it was passed on to ended, for frameworks that tell only
 * once the response is over (Express, Nest): the status it answered when the response
 * finished, or `'closed'` when the connection closed first — a 'close' after 'finish' is
 * ignored, since a route reports once.
 */
export function reportWhenResponseEnds(response: EndingResponse, route: RouteWatch): void {
  response.once('finish', () => void route.ended(response.statusCode));
  response.once('close', () => void route.ended('closed'));
}
