/**
 * `@knoxcall/hono` — edge-safe: nothing here (nor what it imports under the workerd,
 * worker, edge-light, browser and deno conditions) uses a `node:` module, Buffer or process.
 */
export { knoxOnError } from './error-handler.js';
export {
  DEFAULT_MAX_CACHED_CLIENTS,
  type KnoxCallMiddleware,
  type KnoxCallMiddlewareOptions,
  getKnox,
  knoxCall,
} from './knox-call.js';
export { getKnoxEvent } from './request-state.js';
export type { KnoxCallVariables, KnoxVariables, KnoxWebhookVariables } from './variables.js';
export { type KnoxWebhookOptions, knoxWebhook } from './webhook-middleware.js';
