import { KnoxEvent, type KnoxWebhookEvent, KnoxWebhook } from '@knoxcall/nest';
import { Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { EXAMPLE_OPTIONS, type ExampleOptions } from './example-options.js';

/** Event types and times of the last deliveries, for `GET /webhooks/recent`. */
const RECENT_LIMIT = 20;

@Controller('webhooks')
export class WebhooksController {
  private readonly recent: { event: string; received_at: string }[] = [];

  constructor(@Inject(EXAMPLE_OPTIONS) private readonly options: ExampleOptions) {}

  /**
   * @KnoxWebhook() is a guard: it verifies `req.rawBody` (the app is created with
   * `{ rawBody: true }`) with the module's `webhooks` settings, and refuses a bad delivery
   * with the contract's status (401 for a bad signature) before this method runs.
   */
  @Post('knoxcall')
  @HttpCode(200)
  @KnoxWebhook()
  receive(@KnoxEvent() event: KnoxWebhookEvent) {
    this.recent.unshift({ event: event.event, received_at: new Date().toISOString() });
    this.recent.length = Math.min(this.recent.length, RECENT_LIMIT);
    this.options.onEvent?.(event);
    return { received: true };
  }

  @Get('recent')
  list() {
    return { events: this.recent };
  }
}
