import type { AddressInfo } from 'node:net';
import type { AdapterUnderTest, ContractAppConfig, RunningApp } from '@knoxcall/adapter-contract';
import { serve } from '@hono/node-server';
import { buildContractApp } from './contract-app-build.js';

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
