export { knoxErrorHandler } from './error-handler.js';
export { type KnoxCallMiddleware, type KnoxCallMiddlewareOptions, getKnox, knoxCall } from './knox-call.js';
export { rawBodySaver } from './raw-body.js';
export { getKnoxEvent } from './request-state.js';
export { type KnoxWebhookOptions, knoxWebhook } from './webhook-middleware.js';
