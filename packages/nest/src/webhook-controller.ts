import { Controller, HttpCode, Post, Req, type Type, UseGuards } from '@nestjs/common';
import type { WebhookReceivedBody } from '@knoxcall/core/adapter';
import { KnoxEventHandlersGuard } from './event-handler-registry.js';
import type { KnoxHttpRequest } from './module-options.js';
import { webhookAnswerOf } from './webhook-delivery.js';

/**
 * The module's own webhook endpoint (POST `webhookPath`): its guard verifies the delivery
 * and runs the discovered `@OnKnoxEvent` handlers; it answers 200 `{ received: true }`
 * (`duplicate: true` for a replay). Created per module definition because the path is
 * the route's decorator argument.
 */
export function knoxWebhookController(path: string): Type {
  @Controller(path)
  class KnoxCallWebhookController {
    @Post()
    @HttpCode(200)
    @UseGuards(KnoxEventHandlersGuard)
    receive(@Req() req: KnoxHttpRequest): WebhookReceivedBody {
      return webhookAnswerOf(req);
    }
  }
  return KnoxCallWebhookController;
}
