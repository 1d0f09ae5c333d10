import {
  type AdapterUnderTest,
  CONTRACT_PATHS,
  type ContractAppConfig,
  type ContractEventHandler,
  type ContractKnoxConfig,
  type RunningApp,
} from '@knoxcall/adapter-contract';
import type { KnoxCall } from '@knoxcall/core';
import { readHeader } from '@knoxcall/core/adapter';
import { Body, Controller, Get, HttpCode, type INestApplication, type ModuleMetadata, Post, type Provider, type Type } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import {
  Knox,
  KnoxCallExceptionFilter,
  KnoxCallModule,
  type KnoxCallModuleOptions,
  type KnoxHttpRequest,
  KnoxEvent,
  type KnoxWebhookEvent,
  KnoxWebhook,
  OnKnoxEvent,
  useKnoxWebhookBody,
} from '../src/index.js';

/** Serves a module on 127.0.0.1 with `{ rawBody: true }`, calling `beforeListen` first (platform and Nest major are the caller's). */
export type NestAppStarter = (metadata: ModuleMetadata, options: { beforeListen?: (app: INestApplication) => void }) => Promise<RunningApp>;

/** A client for apps that only receive webhooks (the module always has one; it is never called). */
const UNUSED_CLIENT_OPTIONS = { baseUrl: 'http://127.0.0.1:9', apiKey: 'kc_test_unused_key' };

/** The contract app as a Nest app: the module and the routes the contract expects, served by `startApp`. */
export function nestAdapter(name: string, startApp: NestAppStarter): AdapterUnderTest {
  return {
    name,
    async start(config: ContractAppConfig): Promise<RunningApp> {
      // With Nest's global parser (`rawBody: true`) the guard verifies `req.rawBody`; otherwise
      // the webhook route reads its own bytes (useKnoxWebhookBody), so Nest's parser does not
      // answer malformed deliveries or exotic JSON content types before the guard can.
      return startApp(contractModule(config), {
        ...(config.webhook !== undefined && !config.globalJsonParser
          ? { beforeListen: (app: INestApplication) => useKnoxWebhookBody(app, CONTRACT_PATHS.webhook, { maxBodyBytes: config.webhook?.maxBodyBytes }) }
          : {}),
      });
    },
  };
}

export function contractModule(config: ContractAppConfig): ModuleMetadata {
  const controllers: Type[] = [];
  const providers: Provider[] = [];
  const options: KnoxCallModuleOptions = {};
  let webhookPath: string | undefined;

  const knox = config.knox as ContractKnoxConfig<KnoxCall> | undefined;
  if (knox !== undefined) {
    options.client = knox.client;
    const custom = knox.requestOptions;
    if (custom) options.requestOptions = (req) => custom((name) => readHeader(req.headers, name));
    controllers.push(probeController(knox.probe));
    providers.push({ provide: APP_FILTER, useClass: KnoxCallExceptionFilter });
  } else {
    options.clientOptions = UNUSED_CLIENT_OPTIONS;
  }

  const webhook = config.webhook;
  if (webhook !== undefined) {
    const { on, secret, ...defaults } = webhook;
    // A per-request secret is a function of the Nest request; the contract's reads headers.
    options.webhooks = {
      ...defaults,
      secret: typeof secret === 'function' ? (req: KnoxHttpRequest) => secret((name) => readHeader(req.headers, name)) : secret,
    };
    if (on !== undefined) {
      // Typed `on` handlers are @OnKnoxEvent methods, run by the module's own controller.
      webhookPath = CONTRACT_PATHS.webhook;
      providers.push(handlersProvider(on));
    } else {
      controllers.push(routeWebhookController());
    }
  }
  if (config.globalJsonParser) controllers.push(JsonEchoController);

  return {
    imports: [KnoxCallModule.forRoot({ ...options, ...(webhookPath !== undefined ? { webhookPath } : {}) })],
    controllers,
    providers,
  };
}

/** A provider class with one @OnKnoxEvent method per contract handler. */
function handlersProvider(on: Record<string, ContractEventHandler>): Type {
  class ContractEventHandlers {}
  Object.entries(on).forEach(([type, handler], i) => {
    const name = `handle${i}`;
    Object.defineProperty(ContractEventHandlers.prototype, name, {
      value: (event: KnoxWebhookEvent) => handler(event),
      writable: true,
      configurable: true,
    });
    const descriptor = Object.getOwnPropertyDescriptor(ContractEventHandlers.prototype, name)!;
    OnKnoxEvent(type as '*')(ContractEventHandlers.prototype, name, descriptor);
  });
  return ContractEventHandlers;
}

/** The route that answers itself after @KnoxWebhook() verified the delivery (module defaults apply). */
function routeWebhookController(): Type {
  @Controller()
  class ContractWebhookController {
    @Post(CONTRACT_PATHS.webhook)
    @HttpCode(200)
    @KnoxWebhook()
    receive(@KnoxEvent() event: KnoxWebhookEvent): unknown {
      return { received: true, handledBy: 'route', event: event.event };
    }
  }
  return ContractWebhookController;
}

function probeController(probe: (knox: KnoxCall) => Promise<unknown>): Type {
  @Controller()
  class ContractProbeController {
    @Get(CONTRACT_PATHS.probe)
    async probe(@Knox() knox: KnoxCall): Promise<unknown> {
      return { result: await probe(knox) };
    }
  }
  return ContractProbeController;
}

@Controller()
class JsonEchoController {
  @Post(CONTRACT_PATHS.jsonEcho)
  @HttpCode(200)
  echo(@Body() body: unknown): unknown {
    return { body };
  }
}
