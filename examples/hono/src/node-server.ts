import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { KnoxCall, type KnoxCallOptions } from '@knoxcall/core';
import { type ExampleAppOptions, createApp } from './app.js';

export interface StartOptions extends Omit<ExampleAppOptions, 'client'> {
  /** Options of the app's KnoxCall client; empty = read from KNOXCALL_* environment variables. */
  knoxcall?: KnoxCallOptions;
  port?: number;
  host?: string;
}

export interface RunningExample {
  url: string;
  close(): Promise<void>;
}

/** Builds the client and the app and serves it on Node (port 0 = a free port); `close()` stops both. */
export async function startServer(options: StartOptions): Promise<RunningExample> {
  const { knoxcall, port = 0, host = '127.0.0.1', ...appOptions } = options;
  const client = new KnoxCall(knoxcall);
  const app = createApp({ ...appOptions, client });
  const { server, bound } = await new Promise<{ server: ReturnType<typeof serve>; bound: number }>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port, hostname: host }, (info: AddressInfo) => resolve({ server: s, bound: info.port }));
    s.once('error', reject);
  });
  return {
    url: `http://${host}:${bound}`,
    async close() {
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
      await client.close();
    },
  };
}
