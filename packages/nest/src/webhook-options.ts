import { Logger } from '@nestjs/common';
import { type KnoxEventHandlers, type KnoxWebhookCoreOptions, type WebhookActions, createWebhookProcessor } from '@knoxcall/core/adapter';
import type { ExecutionContext } from '@nestjs/common';
import type { KnoxHttpRequest, KnoxWebhookOptions } from './module-options.js';
import type { NestWebhookProcessor } from './webhook-delivery.js';

const WEBHOOK_OPTION_NAMES = [
  'secret',
  'format',
  'headerName',
  'toleranceSeconds',
  'replayStore',
  'replayLeaseSeconds',
  'replayStoreTimeoutMs',
  'maxBodyBytes',
  'now',
] as const;

/**
 * The processor for one handler: the module's `webhooks` defaults with the handler's own
 * options over them (an option left undefined keeps the default). Built when Nest creates
 * the guard, so a missing secret or a bad option fails at boot.
 */
export function webhookProcessorFor(
  where: string,
  defaults: KnoxWebhookOptions | undefined,
  overrides: KnoxWebhookOptions | undefined,
  actions: WebhookActions<ExecutionContext, KnoxHttpRequest, [], boolean>,
  on?: KnoxEventHandlers<[]>,
): NestWebhookProcessor {
  if (overrides !== undefined && (overrides === null || typeof overrides !== 'object')) {
    throw new TypeError(`${where}: the options must be an object, e.g. { secret: process.env.KNOXCALL_WEBHOOK_SECRET }`);
  }
  const merged: Record<string, unknown> = {};
  for (const name of WEBHOOK_OPTION_NAMES) {
    const value = overrides?.[name] !== undefined ? overrides[name] : defaults?.[name];
    if (value !== undefined) merged[name] = value;
  }
  if (merged.secret === undefined) {
    throw new TypeError(`${where}: no webhook \`secret\` — set it in KnoxCallModule.forRoot({ webhooks: { secret } }) or pass @KnoxWebhook({ secret })`);
  }
  if (on !== undefined) merged.on = on;
  // A failing `secret` function is logged through Nest's Logger (it follows the app's logger setup).
  const logger = new Logger(where);
  return createWebhookProcessor(merged as unknown as KnoxWebhookCoreOptions<KnoxHttpRequest, []>, actions, {
    where,
    log: (message, error) => logger.error(message, error instanceof Error ? error.stack : String(error)),
  });
}
