import type { KnoxCallOptions, WebhookHmacFormat } from '@knoxcall/core';
import { MemoryReplayStore } from '@knoxcall/core/webhooks';
import { KnoxCallExceptionFilter, KnoxCallModule } from '@knoxcall/nest';
import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { EXAMPLE_OPTIONS, type ExampleOptions } from './example-options.js';
import { HelloController } from './hello.controller.js';
import { WebhooksController } from './webhooks.controller.js';

export interface AppModuleOptions extends ExampleOptions {
  /** Options of the KnoxCall client the module builds (and closes on shutdown); empty = KNOXCALL_* environment variables. */
  knoxcall?: KnoxCallOptions;
  /** The webhook's `secret_key` and `hmac_format` as KnoxCall shows them. */
  webhook: { secret: string | string[]; format?: WebhookHmacFormat; headerName?: string };
}

@Module({})
// biome-ignore lint/complexity/noStaticOnlyClass: a Nest dynamic module is a class with a static forRoot()
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    const { knoxcall, webhook, ...example } = options;
    return {
      module: AppModule,
      imports: [
        KnoxCallModule.forRoot({
          clientOptions: knoxcall ?? {},
          webhooks: {
            secret: webhook.secret,
            format: webhook.format ?? 'legacy',
            ...(webhook.headerName !== undefined ? { headerName: webhook.headerName } : {}),
            replayStore: new MemoryReplayStore(),
          },
        }),
      ],
      controllers: [HelloController, WebhooksController],
      providers: [
        { provide: EXAMPLE_OPTIONS, useValue: example },
        // KnoxCall errors thrown in handlers become proper answers (a rejected credential is
        // a 502, not a 401 to your caller; a KnoxCall timeout a 504, …).
        { provide: APP_FILTER, useClass: KnoxCallExceptionFilter },
      ],
    };
  }
}
