import type { AddressInfo } from 'node:net';
import { type AdapterUnderTest, CONTRACT_PATHS, type ContractAppConfig, type RunningApp } from '@knoxcall/adapter-contract';
import type { KnoxCall } from '@knoxcall/core';
import Fastify, { type FastifyInstance } from 'fastify';
import { type KnoxWebhookOptions, getKnox, knoxCall, knoxErrorHandler, knoxWebhook } from '../src/index.js';

/**
 * The contract app on Fastify. `errorHandler: 'fastify-default'` leaves webhook failures to
 * Fastify's default error handler (native `{ statusCode, code, error, message }` bodies);
 * `'knoxErrorHandler'` installs the package's error handler at the root, which answers the
 * contract's `{ error: { type, message } }` bodies.
 */
export function fastifyAdapter(name: string, errorHandler: 'fastify-default' | 'knoxErrorHandler'): AdapterUnderTest {
  return {
    name,
    ...(errorHandler === 'fastify-default' ? { readErrorCode: readFastifyErrorCode } : {}),
    async start(config: ContractAppConfig): Promise<RunningApp> {
      const app = await buildContractApp(config, errorHandler);
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as AddressInfo;
      return {
        url: `http://127.0.0.1:${port}`,
        close: async () => {
          app.server.closeAllConnections();
          await app.close();
        },
      };
    },
  };
}

/** Fastify's default error body: `{ statusCode, code, error, message }`. */
export function readFastifyErrorCode(body: unknown): unknown {
  if (body === null || typeof body !== 'object') return undefined;
  const { statusCode, code, error, message } = body as Record<string, unknown>;
  if (typeof statusCode !== 'number' || typeof error !== 'string' || typeof message !== 'string') return undefined;
  return code;
}

export async function buildContractApp(config: ContractAppConfig, errorHandler: 'fastify-default' | 'knoxErrorHandler'): Promise<FastifyInstance> {
  const app = Fastify();
  if (errorHandler === 'knoxErrorHandler' || config.knox !== undefined) app.setErrorHandler(knoxErrorHandler());
  if (config.globalJsonParser) {
    // Fastify parses JSON globally by default; nothing to capture, knoxWebhook keeps its own bytes.
    app.post(CONTRACT_PATHS.jsonEcho, async (request) => ({ body: request.body }));
  }
  const webhook = config.webhook;
  if (webhook !== undefined) {
    const { on, secret, ...rest } = webhook;
    const options: KnoxWebhookOptions = {
      ...rest,
      path: CONTRACT_PATHS.webhook,
      secret: typeof secret === 'function' ? (request) => secret((name) => headerValue(request.headers[name.toLowerCase()])) : secret,
    };
    if (on !== undefined) {
      options.on = Object.fromEntries(Object.entries(on).map(([type, handler]) => [type, (event: never) => handler(event)]));
    } else {
      options.handler = async (request) => ({ received: true, handledBy: 'route', event: request.knoxEvent.event });
    }
    await app.register(knoxWebhook, options);
  }
  const knox = config.knox;
  if (knox !== undefined) {
    const custom = knox.requestOptions;
    await app.register(knoxCall, {
      client: knox.client as KnoxCall,
      ...(custom ? { requestOptions: (request) => custom((name) => headerValue(request.headers[name.toLowerCase()])) } : {}),
    });
    app.get(CONTRACT_PATHS.probe, async (request) => ({ result: await knox.probe(getKnox(request)) }));
  }
  return app;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
