/**
 * The Hono contract app as a Workers-style module, for Bun, Deno and workerd (bundled by
 * bundle.ts). One process serves every app of the contract suite: app `<id>` lives under
 * `/apps/<id>/` and is built on its first request from the configuration the test
 * process's control server holds; its live hooks (handlers, a per-request secret, a replay
 * store) call that server back. Apps, and the KnoxCall clients in them, are kept across
 * requests, as a Worker keeps what it builds.
 */
import type { ContractAppConfig, ContractEventHandler } from '@knoxcall/adapter-contract';
import {
  CONTRACT_PATHS,
  CONTROL_PATHS,
  type RemoteAppConfig,
  resolveRequestHeaders,
  type WrapFetchOutcome,
  wrapFetchProbe,
} from '@knoxcall/adapter-contract/app-side';
import { KnoxCall } from '@knoxcall/core';
import type { ReplayClaimState, ReplayStore } from '@knoxcall/core/adapter';
import { RedisReplayStore } from '@knoxcall/core/webhooks';
import type { Hono } from 'hono';
import { buildContractApp, type HeaderReader } from '../contract-app-build.js';
import { respClient } from './resp-client.js';

declare const __CONTROL_URL__: string;

async function control<T>(id: string, action: string, body: unknown = {}): Promise<T> {
  const response = await fetch(`${__CONTROL_URL__}/apps/${id}/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`the test process's ${action} hook failed (${response.status})`);
  return (await response.json()) as T;
}

function replayStoreOf(id: string, shape: NonNullable<NonNullable<RemoteAppConfig['webhook']>['replayStore']>): ReplayStore {
  if (typeof shape === 'object') return new RedisReplayStore({ client: respClient(shape.redis) });
  if (shape === 'claim/release') {
    // The earlier interface, as the case's store has it: start-up must refuse it.
    const earlier = {
      claim: async (key: string, ttlSeconds: number) => (await control<{ claimed: boolean }>(id, CONTROL_PATHS.claim, { key, ttlSeconds })).claimed,
      release: async (key: string) => {
        await control(id, CONTROL_PATHS.release, { key });
      },
    };
    return earlier as unknown as ReplayStore;
  }
  return {
    begin: async (key, leaseSeconds) => (await control<{ state: ReplayClaimState }>(id, CONTROL_PATHS.begin, { key, leaseSeconds })).state,
    complete: async (key, ttlSeconds) => {
      await control(id, CONTROL_PATHS.complete, { key, ttlSeconds });
    },
    release: async (key) => {
      await control(id, CONTROL_PATHS.release, { key });
    },
  };
}

/** The live configuration the remote description stands for, with hooks that call back. */
function liveConfig(id: string, remote: RemoteAppConfig): ContractAppConfig {
  const config: ContractAppConfig = {};
  if (remote.globalJsonParser) config.globalJsonParser = true;
  const { webhook, knox } = remote;
  if (webhook !== undefined) {
    const { secret, replayStore, on, ...rest } = webhook;
    config.webhook = {
      ...rest,
      secret:
        typeof secret === 'object' && 'remote' in secret
          ? async (header) => (await control<{ secret: string | string[] }>(id, CONTROL_PATHS.secret, { headers: (header as HeaderReader).all() })).secret
          : secret,
      ...(replayStore ? { replayStore: replayStoreOf(id, replayStore) } : {}),
    };
    if (on !== undefined) {
      const callBack: ContractEventHandler = (event) => control(id, CONTROL_PATHS.on, { event });
      config.webhook.on = Object.fromEntries(on.map((type) => [type, callBack]));
    }
  }
  if (knox !== undefined) {
    const spec = knox.requestHeaders;
    const wrap = knox.wrapFetch;
    const settled = (outcome: WrapFetchOutcome) => void control(id, CONTROL_PATHS.probeSettled, outcome).catch(() => {});
    config.knox = {
      client: new KnoxCall(knox.clientOptions),
      probe: wrap
        ? wrapFetchProbe(wrap.url, wrap.settled ? settled : undefined)
        : async (view) => ({ listed: Array.isArray((await (view as KnoxCall).routes.list()).data) }),
      ...(spec ? { requestOptions: (header) => ({ headers: resolveRequestHeaders(spec, header) }) } : {}),
    };
  }
  return config;
}

const apps = new Map<string, Promise<Hono>>();

function appFor(id: string): Promise<Hono> {
  let app = apps.get(id);
  if (app === undefined) {
    app = control<RemoteAppConfig>(id, CONTROL_PATHS.config).then((remote) => buildContractApp(liveConfig(id, remote)) as unknown as Hono);
    apps.set(id, app);
  }
  return app;
}

/** `POST /apps/<id>`: builds the app now, answering what its construction threw on this runtime. */
async function build(id: string): Promise<Response> {
  try {
    await appFor(id);
    return new Response(null, { status: 204 });
  } catch (error) {
    return Response.json({ error: error instanceof Error ? error.message : String(error) }, { status: 500 });
  }
}

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const match = /^\/apps\/([^/]+)(\/.*)?$/.exec(url.pathname);
    if (!match) return new Response(`not a contract app path; apps live under /apps/<id>${CONTRACT_PATHS.webhook}`, { status: 404 });
    if (match[2] === undefined) return build(match[1] as string);
    const app = await appFor(match[1] as string);
    const target = new URL(`${match[2]}${url.search}`, url.origin);
    if (request.body === null) return app.fetch(new Request(target, request));
    // The app gets the body through a stream of ours, so what it leaves unread (an oversize
    // delivery it rejects while reading) is drained before the answer goes out. Node's own
    // server does that; Bun and workerd close the connection instead, and Node's fetch in the
    // test then fails with EPIPE before it reads the 413.
    // One read at a time (workerd allows no more): the drain waits for the app's last pull.
    const reader = request.body.getReader();
    let reading: Promise<unknown> = Promise.resolve();
    let draining = false;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (draining) return controller.close();
        const read = reader.read();
        reading = read;
        const { done, value } = await read;
        if (done) controller.close();
        else controller.enqueue(value);
      },
    });
    const init = { method: request.method, headers: request.headers, body, duplex: 'half' };
    const response = await app.fetch(new Request(target, init as RequestInit));
    draining = true;
    await reading.catch(() => {});
    for (;;) if ((await reader.read()).done) break;
    return response;
  },
};
