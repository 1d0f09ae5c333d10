import { type CanActivate, type ExecutionContext, Inject, Injectable, Logger, type OnModuleInit, Optional } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { KnoxEventHandlers, KnoxWebhookEvent } from '@knoxcall/core/adapter';
import type { KnoxCallModuleOptions } from './module-options.js';
import { knoxEventTypesOf } from './on-knox-event.decorator.js';
import { KNOXCALL_EVENT_REGISTRY, KNOXCALL_MODULE_OPTIONS } from './tokens.js';
import { type NestWebhookProcessor, guardDelivery, moduleControllerActions } from './webhook-delivery.js';
import { webhookProcessorFor } from './webhook-options.js';

/** @internal The module's webhook path (a synchronous extra), when its controller is mounted. */
export const KNOXCALL_WEBHOOK_PATH = Symbol.for('knoxcall.nest.webhookPath');

type DiscoveredHandler = (event: KnoxWebhookEvent) => unknown;

/**
 * Finds every `@OnKnoxEvent` method on the app's providers once the modules are initialised,
 * and builds the processor the module's webhook controller verifies deliveries with (the
 * module's `webhooks` options, those handlers as `on`).
 */
@Injectable()
export class KnoxEventHandlerRegistry implements OnModuleInit {
  private readonly logger = new Logger('KnoxCallModule');
  private built: NestWebhookProcessor | undefined;

  constructor(
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
    @Inject(KNOXCALL_MODULE_OPTIONS) private readonly options: KnoxCallModuleOptions,
    @Optional() @Inject(KNOXCALL_WEBHOOK_PATH) private readonly webhookPath?: string,
  ) {}

  onModuleInit(): void {
    const handlers = this.discover();
    if (this.webhookPath === undefined) {
      if (handlers.size > 0) {
        this.logger.warn(
          `@OnKnoxEvent handlers found (${[...handlers.keys()].join(', ')}) but no webhook controller is mounted: ` +
            "pass KnoxCallModule.forRoot({ webhookPath: '/webhooks/knoxcall', webhooks: { secret }, … })",
        );
      }
      return;
    }
    const on: Record<string, DiscoveredHandler> = {};
    for (const [type, list] of handlers) {
      on[type] = async (event) => {
        for (const handler of list) await handler(event);
      };
    }
    this.built = webhookProcessorFor(
      `KnoxCallModule (webhookPath '${this.webhookPath}')`,
      this.options.webhooks,
      undefined,
      moduleControllerActions,
      on as KnoxEventHandlers<[]>,
    );
  }

  get processor(): NestWebhookProcessor {
    if (this.built === undefined) throw new Error('KnoxCallModule: the webhook controller ran before the module was initialised');
    return this.built;
  }

  /** Event type → its handlers, bound to their provider instances, in discovery order. */
  private discover(): Map<string, DiscoveredHandler[]> {
    const found = new Map<string, DiscoveredHandler[]>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (typeof instance !== 'object' || instance === null) continue;
      const prototype = Object.getPrototypeOf(instance) as object | null;
      if (prototype === null) continue;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const method = (instance as Record<string, unknown>)[name];
        if (typeof method !== 'function') continue;
        const types = knoxEventTypesOf(method);
        if (types === undefined) continue;
        if (!wrapper.isDependencyTreeStatic()) {
          throw new TypeError(
            `@OnKnoxEvent on ${wrapper.name?.toString() ?? 'a provider'}.${name}: event handlers must live in a singleton provider (this one is request-scoped or depends on one)`,
          );
        }
        for (const type of types) {
          const list = found.get(type) ?? [];
          list.push((event) => (method as DiscoveredHandler).call(instance, event));
          found.set(type, list);
        }
      }
    }
    return found;
  }
}

/** The guard of the module's webhook controller: the registry's processor, answering itself. */
@Injectable()
export class KnoxEventHandlersGuard implements CanActivate {
  constructor(@Inject(KNOXCALL_EVENT_REGISTRY) private readonly registry: KnoxEventHandlerRegistry) {}

  canActivate(context: ExecutionContext): Promise<boolean> {
    return guardDelivery(this.registry.processor, context);
  }
}
