import { ConfigurableModuleBuilder, type DynamicModule, Inject, type MiddlewareConsumer, Module, type NestModule, Scope } from '@nestjs/common';
import { DiscoveryModule, REQUEST } from '@nestjs/core';
import { KnoxCallClientHolder } from './client-holder.js';
import { KNOXCALL_WEBHOOK_PATH, KnoxEventHandlerRegistry, KnoxEventHandlersGuard } from './event-handler-registry.js';
import { installRequestScope } from './knox-call.middleware.js';
import type { KnoxCallModuleExtras, KnoxCallModuleOptions, KnoxHttpRequest } from './module-options.js';
import { requestStateFor, viewOf } from './request-scope.js';
import { KNOXCALL_CLIENT, KNOXCALL_CLIENT_HOLDER, KNOXCALL_EVENT_REGISTRY, KNOXCALL_MODULE_OPTIONS, KNOXCALL_REQUEST_CLIENT } from './tokens.js';
import { knoxWebhookController } from './webhook-controller.js';

const { ConfigurableModuleClass, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } = new ConfigurableModuleBuilder<KnoxCallModuleOptions>({
  optionsInjectionToken: KNOXCALL_MODULE_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setExtras<KnoxCallModuleExtras>({ isGlobal: false }, (definition, extras) => withExtras(definition, extras))
  .build();

/** What `KnoxCallModule.forRoot(...)` takes: the options plus the synchronous extras. */
export type KnoxCallModuleForRootOptions = typeof OPTIONS_TYPE;
/** What `KnoxCallModule.forRootAsync(...)` takes: `imports`, `inject`, `useFactory` (or `useClass`/`useExisting`) plus the extras. */
export type KnoxCallModuleAsyncOptions = typeof ASYNC_OPTIONS_TYPE;

/**
 * KnoxCall in a Nest app:
 *
 * ```ts
 * @Module({ imports: [KnoxCallModule.forRoot({ client, webhooks: { secret }, webhookPath: '/webhooks/knoxcall' })] })
 * ```
 *
 * Provides `KNOXCALL_CLIENT` (`@InjectKnoxCall()`), `KNOXCALL_MODULE_OPTIONS` and the
 * REQUEST-scoped `KNOXCALL_REQUEST_CLIENT`; installs the middleware behind `@Knox()` and
 * `getKnox()`; with `webhookPath`, mounts the controller that runs `@OnKnoxEvent` handlers.
 * A client built from `clientOptions` is closed on application shutdown.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    { provide: KNOXCALL_CLIENT_HOLDER, useClass: KnoxCallClientHolder },
    { provide: KNOXCALL_CLIENT, useFactory: (holder: KnoxCallClientHolder) => holder.client, inject: [KNOXCALL_CLIENT_HOLDER] },
    {
      provide: KNOXCALL_REQUEST_CLIENT,
      scope: Scope.REQUEST,
      useFactory: (req: KnoxHttpRequest, holder: KnoxCallClientHolder) => viewOf(requestStateFor(req, holder)),
      inject: [REQUEST, KNOXCALL_CLIENT_HOLDER],
    },
    { provide: KNOXCALL_EVENT_REGISTRY, useClass: KnoxEventHandlerRegistry },
    KnoxEventHandlersGuard,
  ],
  exports: [KNOXCALL_CLIENT, KNOXCALL_REQUEST_CLIENT, KNOXCALL_MODULE_OPTIONS],
})
export class KnoxCallModule extends ConfigurableModuleClass implements NestModule {
  constructor(@Inject(KNOXCALL_CLIENT_HOLDER) private readonly holder: KnoxCallClientHolder) {
    super();
  }

  /** The request scope behind `getKnox()` (none with `asyncContext: false`: `@Knox()` then finds the client through the server). */
  configure(consumer: MiddlewareConsumer): void {
    if (!this.holder.asyncContext) return;
    const adapter = this.holder.httpAdapter;
    installRequestScope(consumer, this.holder, adapter?.getInstance(), adapter?.getType());
  }
}

function withExtras(definition: DynamicModule, extras: KnoxCallModuleExtras): DynamicModule {
  const path = extras.webhookPath;
  if (path !== undefined && (typeof path !== 'string' || path.trim() === '')) {
    throw new TypeError(`KnoxCallModule: \`webhookPath\` must be a non-empty path like '/webhooks/knoxcall', got ${JSON.stringify(path)}`);
  }
  return {
    ...definition,
    global: extras.isGlobal === true,
    ...(path !== undefined
      ? {
          controllers: [...(definition.controllers ?? []), knoxWebhookController(path)],
          providers: [...(definition.providers ?? []), { provide: KNOXCALL_WEBHOOK_PATH, useValue: path }],
        }
      : {}),
  };
}
