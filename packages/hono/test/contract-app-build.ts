import type { ContractAppConfig } from '@knoxcall/adapter-contract';
import { CONTRACT_PATHS } from '@knoxcall/adapter-contract/app-side';
import type { KnoxCall } from '@knoxcall/core';
import { type Context, Hono } from 'hono';
import { type KnoxWebhookOptions, getKnox, knoxCall, knoxOnError, knoxWebhook } from '../src/index.js';

/**
 * The contract app on Hono, runtime-neutral (no node: imports): served by @hono/node-server
 * in contract-app.ts, and by Bun, Deno and workerd in runtimes/remote-contract-app.ts.
 */

/**
 * The request's header reader; `all()` also hands over every header, for an app in another
 * process whose per-request secret is resolved by the test process (see the remote app).
 */
export type HeaderReader = ((name: string) => string | undefined) & { all(): Record<string, string> };

function headerReader(c: Context): HeaderReader {
  return Object.assign((name: string) => c.req.header(name), { all: () => c.req.header() });
}

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
      secret: typeof secret === 'function' ? (c) => secret(headerReader(c)) : secret,
    };
    if (on !== undefined) {
      // Awaited: a handler that fails asynchronously (one run by another process) fails the delivery too.
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
      app.post(CONTRACT_PATHS.webhook, knoxWebhook(options), (c) => c.json({ received: true, handledBy: 'route', event: c.var.knoxEvent.event }));
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
