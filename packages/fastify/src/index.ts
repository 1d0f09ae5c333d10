import './fastify-types.js';

export { type KnoxFastifyErrorHandler, knoxErrorHandler } from './error-handler.js';
export { type KnoxCallPluginOptions, getKnox, knoxCall } from './knox-call-plugin.js';
export type { KnoxWebhookFastifyError } from './webhook-errors.js';
export {
  type KnoxWebhookHandlerArgs,
  type KnoxWebhookOptions,
  type KnoxWebhookRequest,
  type KnoxWebhookRouteHandler,
  getKnoxEvent,
  knoxWebhook,
} from './webhook-plugin.js';
export type { KnoxWebhookError, KnoxWebhookEvent } from '@knoxcall/core/adapter';
