import type { AddressInfo } from 'node:net';
import { CONTRACT_PATHS, type AdapterUnderTest, type ContractAppConfig, type RunningApp } from '@knoxcall/adapter-contract';
import type { KnoxCall } from '@knoxcall/core';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { type KnoxWebhookOptions, getKnox, knoxCall, knoxOnError, knoxWebhook } from '../src/index.js';

/** The contract app on Hono, served by @hono/node-server on 127.0.0.1. */
export const honoAdapter: AdapterUnderTest = {
  name: 'hono (node-server)',
  async start(config: ContractAppConfig): Promise<RunningApp> {
    const app = buildContractApp(config);
    return new Promise<RunningApp>((resolve, reject) => {
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
        resolve({
          url: `http://127.0.0.1:${info.port}`,
          close: () =>
            new Promise<void>((done) => {
              (server as { closeAllConnections?: () => void }).closeAllConnections?.();
              server.close(() => done());
            }),
        });
      });
      server.once('error', reject);
    });
  },
};

export function buildContractApp(config: ContractAppConfig): Hono<{ Variables: { body: unknown } }> {
  const app = new Hono<{ Variables: { body: unknown } }>();
  app.onError(knoxOnError());
  if (config.globalJsonParser) {
    // The usual hand-written global JSON middleware. Hono keeps the body it read, so the
    // webhook route behind it still verifies the received bytes (no capture needed).
    app.use(async (c, next) => {
      if (c.req.header('content-type')?.includes('json')) c.set('body', await c.req.json());
      await next();
    });
    app.post(CONTRACT_PATHS.jsonEcho, (c) => c.json({ body: c.var.body }));
  }
  const webhook = config.webhook;
  if (webhook !== undefined) {
    const { on, secret, ...rest } = webhook;
    const options: KnoxWebhookOptions = {
      ...rest,
      secret: typeof secret === 'function' ? (c) => secret((name) => c.req.header(name)) : secret,
    };
    if (on !== undefined) {
      // Awaited (a contract handler may be async) but answering nothing: the adapter answers.
      options.on = Object.fromEntries(
        Object.entries(on).map(([type, handler]) => [
          type,
          async (event: never) => {
            await handler(event);
          },
        ]),
      );
      app.post(CONTRACT_PATHS.webhook, knoxWebhook(options));
    } else {
      app.post(CONTRACT_PATHS.webhook, knoxWebhook(options), (c) =>
        c.json({ received: true, handledBy: 'route', event: c.var.knoxEvent.event }),
      );
    }
  }
  const knox = config.knox;
  if (knox !== undefined) {
    const custom = knox.requestOptions;
    app.use(
      knoxCall({
        client: knox.client as KnoxCall,
        ...(custom ? { requestOptions: (c) => custom((name) => c.req.header(name)) } : {}),
      }),
    );
    app.get(CONTRACT_PATHS.probe, async (c) => c.json({ result: await knox.probe(getKnox(c)) }));
  }
  return app;
}
