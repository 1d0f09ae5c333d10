import { type CanActivate, type ExecutionContext, Inject, Optional, type Type, UseGuards, createParamDecorator, mixin } from '@nestjs/common';
import { KnoxCallError } from '@knoxcall/core';
import type { KnoxWebhookEvent } from '@knoxcall/core/adapter';
import type { KnoxCallModuleOptions, KnoxHttpRequest, KnoxWebhookOptions } from './module-options.js';
import { KNOXCALL_MODULE_OPTIONS } from './tokens.js';
import { type NestWebhookProcessor, guardActions, guardDelivery, verifiedEventOf } from './webhook-delivery.js';
import { webhookProcessorFor } from './webhook-options.js';

/**
 * Verifies KnoxCall deliveries on one handler, then lets it run with the event:
 *
 * ```ts
 * @Post('webhooks/knoxcall') @HttpCode(200) @KnoxWebhook()
 * receive(@KnoxEvent() event: KnoxWebhookEvent) { … }
 * ```
 *
 * `overrides` take the same options as `KnoxCallModule`'s `webhooks` defaults (`secret`,
 * `format`, `headerName`, `toleranceSeconds`, `replayStore`, `maxBodyBytes`) and win over
 * them. It needs the raw body: create the app with `{ rawBody: true }`. A rejected delivery
 * is a KnoxWebhookException (an HttpException with the contract's status and body).
 */
export function KnoxWebhook(overrides?: KnoxWebhookOptions): MethodDecorator & ClassDecorator {
  return UseGuards(knoxWebhookGuard(overrides));
}

/** A guard class per `@KnoxWebhook(...)` use, so that each keeps its own options while still getting the module's defaults by DI. */
function knoxWebhookGuard(overrides: KnoxWebhookOptions | undefined): Type<CanActivate> {
  class KnoxWebhookGuard implements CanActivate {
    private readonly processor: NestWebhookProcessor;

    constructor(@Optional() @Inject(KNOXCALL_MODULE_OPTIONS) moduleOptions?: KnoxCallModuleOptions) {
      this.processor = webhookProcessorFor('@KnoxWebhook()', moduleOptions?.webhooks, overrides, guardActions);
    }

    canActivate(context: ExecutionContext): Promise<boolean> {
      return guardDelivery(this.processor, context);
    }
  }
  return mixin(KnoxWebhookGuard);
}

/**
 * The handler parameter receiving the verified event (`@KnoxWebhook()` must be on the
 * handler). Type it with the event you expect, or narrow with `isKnoxEvent(event, 'request.success')`.
 */
export const KnoxEvent: () => ParameterDecorator = createParamDecorator((_data: unknown, context: ExecutionContext): KnoxWebhookEvent => {
  const event = verifiedEventOf(context.switchToHttp().getRequest<KnoxHttpRequest>());
  if (event === undefined) {
    throw new KnoxCallError('@KnoxEvent(): no verified KnoxCall event on this request — put @KnoxWebhook() on this handler', {
      code: 'knox_middleware_missing',
    });
  }
  return event;
});
