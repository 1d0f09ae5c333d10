import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KnoxWebhookEvent } from '@knoxcall/core/adapter';
import type { ContractAppConfig } from '../types.js';
import { CONTROL_PATHS, describeAppConfig } from './protocol.js';
import type { WrapFetchOutcome } from './wrap-fetch-probe.js';

/**
 * The test process's side of an app served by another process: it keeps each app's live
 * configuration (handlers, a per-request secret, a replay store) and runs it when the app
 * calls back. Answers are JSON; a hook that throws is answered 500 with no error text (the
 * app then fails the way it would had the hook thrown in-process).
 */
export interface ControlServer {
  readonly url: string;
  /** Registers an app's configuration; returns its id (the app reads `apps/<id>/config`). */
  register(config: ContractAppConfig): string;
  close(): Promise<void>;
}

function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        resolve(chunks.length === 0 ? {} : (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>));
      } catch (error) {
        reject(error);
      }
    });
    req.on('error', reject);
  });
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function dispatch(config: ContractAppConfig, action: string, body: Record<string, unknown>): Promise<unknown> {
  const webhook = config.webhook;
  switch (action) {
    case CONTROL_PATHS.config:
      return describeAppConfig(config);
    case CONTROL_PATHS.on: {
      const event = body.event as KnoxWebhookEvent;
      const handler = webhook?.on?.[event.event] ?? webhook?.on?.['*'];
      if (handler === undefined) throw new Error(`no handler for ${event.event}`);
      await handler(event);
      return { ok: true };
    }
    case CONTROL_PATHS.secret: {
      const secret = webhook?.secret;
      if (typeof secret !== 'function') throw new Error('this app has no per-request secret');
      const headers = body.headers as Record<string, string>;
      return { secret: await secret((name) => headers[name.toLowerCase()]) };
    }
    case CONTROL_PATHS.begin:
      if (webhook?.replayStore === undefined) throw new Error('this app has no replay store');
      return { state: await webhook.replayStore.begin(body.key as string, body.leaseSeconds as number) };
    case CONTROL_PATHS.claim: {
      // The earlier one-step interface, kept only so that start-up can be seen refusing it.
      const store = webhook?.replayStore as unknown as { claim?: (key: string, ttlSeconds: number) => Promise<boolean> } | undefined;
      if (typeof store?.claim !== 'function') throw new Error('this app has no claim/release replay store');
      return { claimed: await store.claim(body.key as string, body.ttlSeconds as number) };
    }
    case CONTROL_PATHS.complete:
      if (webhook?.replayStore === undefined) throw new Error('this app has no replay store');
      await webhook.replayStore.complete(body.key as string, body.ttlSeconds as number);
      return { ok: true };
    case CONTROL_PATHS.release:
      if (webhook?.replayStore === undefined) throw new Error('this app has no replay store');
      await webhook.replayStore.release(body.key as string);
      return { ok: true };
    case CONTROL_PATHS.probeSettled: {
      const settled = config.knox?.wrapFetch?.settled;
      if (settled === undefined) throw new Error('this app reports no probe outcome');
      settled(body as WrapFetchOutcome);
      return { ok: true };
    }
    default:
      throw new Error(`unknown control action ${action}`);
  }
}

export async function startControlServer(): Promise<ControlServer> {
  const apps = new Map<string, ContractAppConfig>();
  let next = 0;
  const server: Server = createServer((req, res) => {
    const match = /^\/apps\/([^/]+)\/(.+)$/.exec(req.url ?? '');
    const config = match ? apps.get(match[1] as string) : undefined;
    if (!match || config === undefined) return answer(res, 404, { error: 'unknown app' });
    readJson(req)
      .then((body) => dispatch(config, match[2] as string, body))
      .then(
        (result) => answer(res, 200, result),
        () => answer(res, 500, { error: 'hook failed' }),
      );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    register(config) {
      const id = `app${++next}`;
      apps.set(id, config);
      return id;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
