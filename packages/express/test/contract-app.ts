import type { AddressInfo } from 'node:net';
import { CONTRACT_PATHS, type AdapterUnderTest, type ContractAppConfig, type RunningApp } from '@knoxcall/adapter-contract';
import type { Express, NextFunction, Request, Response } from 'express';
import type { KnoxCall } from '@knoxcall/core';
import { type KnoxWebhookOptions, getKnox, getKnoxEvent, knoxCall, knoxErrorHandler, knoxWebhook, rawBodySaver } from '../src/index.js';

/** The parts of the express module the contract apps use (Express 4 and 5 both have them). */
export interface ExpressModule {
  (): Express;
  json(options?: { verify?: typeof rawBodySaver }): (req: Request, res: Response, next: NextFunction) => void;
}

/** Builds the contract app on a given Express major and serves it on 127.0.0.1. */
export function expressAdapter(name: string, express: ExpressModule): AdapterUnderTest {
  return {
    name,
    async start(config: ContractAppConfig): Promise<RunningApp> {
      const app = buildContractApp(express, config);
      const server = app.listen(0, '127.0.0.1');
      await new Promise<void>((resolve, reject) => {
        server.once('listening', resolve);
        server.once('error', reject);
      });
      const { port } = server.address() as AddressInfo;
      return {
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      };
    },
  };
}

export function buildContractApp(express: ExpressModule, config: ContractAppConfig): Express {
  const app = express();
  if (config.globalJsonParser) {
    app.use(express.json({ verify: rawBodySaver }));
    app.post(CONTRACT_PATHS.jsonEcho, (req, res) => {
      res.json({ body: req.body });
    });
  }
  const webhook = config.webhook;
  if (webhook !== undefined) {
    const { on, secret, ...rest } = webhook;
    const options: KnoxWebhookOptions = {
      ...rest,
      secret: typeof secret === 'function' ? (req: Request) => secret((name) => req.get(name)) : secret,
    };
    if (on !== undefined) {
      options.on = Object.fromEntries(Object.entries(on).map(([type, handler]) => [type, (event: never) => handler(event)]));
      app.post(CONTRACT_PATHS.webhook, knoxWebhook(options));
    } else {
      app.post(CONTRACT_PATHS.webhook, knoxWebhook(options), (req, res) => {
        res.json({ received: true, handledBy: 'route', event: getKnoxEvent(req).event });
      });
    }
  }
  const knox = config.knox;
  if (knox !== undefined) {
    const custom = knox.requestOptions;
    app.use(
      knoxCall({
        client: knox.client as KnoxCall,
        ...(custom ? { requestOptions: (req: Request) => custom((name) => req.get(name)) } : {}),
      }),
    );
    app.get(CONTRACT_PATHS.probe, (req, res, next) => {
      knox
        .probe(getKnox(req))
        .then((result) => res.json({ result }))
        .catch(next);
    });
    app.use(knoxErrorHandler());
  }
  return app;
}
