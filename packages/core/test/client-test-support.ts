/**
 * Shared pieces for the client/transport/data-plane tests: a runtime with a private
 * environment and recorded warnings, a real upstream HTTP server, and a fetch that
 * "resolves" *.knoxcall.com to the local emulator (a DNS override, so cloud-host
 * derivation can be exercised while every byte still goes to 127.0.0.1).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type Emulator, type EmulatorOptions, startEmulator } from '@knoxcall/testing';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createAuthenticator } from '../src/auth/create-authenticator.js';
import type { ClientInternals, ClientRuntime } from '../src/config/create-shared-state.js';
import { KnoxCallBase } from '../src/knoxcall-class.js';
import type { KnoxCallOptions } from '../src/config/options.js';
import type { Platform } from '../src/auth/platform.js';
import { KnoxCall } from '../src/index.js';

export interface RecordingPlatform extends Platform {
  warnings: Array<{ code: string; message: string }>;
}

export function recordingPlatform(env: Record<string, string | undefined> = {}): RecordingPlatform {
  const warnings: Array<{ code: string; message: string }> = [];
  const seen = new Set<string>();
  return {
    runtime: 'node',
    // A private environment still "is not on GCP": the metadata probe goes to the closed
    // loopback port the test setup chose, unless the test serves GCP metadata itself.
    getEnv: (name) => (name === 'GCE_METADATA_HOST' && !(name in env) ? process.env.GCE_METADATA_HOST : env[name]),
    warnOnce(code, message) {
      if (seen.has(code)) return;
      seen.add(code);
      warnings.push({ code, message });
    },
    nodeAuth: undefined,
    warnings,
  };
}

/** A KnoxCall whose environment is `env` (not the test process's) and whose warnings are recorded. */
export function clientWithEnv(
  options: KnoxCallOptions | undefined,
  env: Record<string, string | undefined> = {},
  internals?: ClientInternals,
): { client: KnoxCallBase; platform: RecordingPlatform } {
  const platform = recordingPlatform(env);
  const runtime: ClientRuntime = { platform, createAuthenticator };
  return { client: new KnoxCallBase(options, runtime, internals), platform };
}

export interface UpstreamRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface Upstream {
  url: string;
  requests: UpstreamRequest[];
  /** Per-path override; default echoes the request as JSON with status 200. */
  handle(path: string, handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): void;
  close(): Promise<void>;
}

/** A real upstream API on 127.0.0.1 that records what reached it and echoes it back. */
export async function startUpstream(): Promise<Upstream> {
  const requests: UpstreamRequest[] = [];
  const handlers = new Map<string, (req: IncomingMessage, res: ServerResponse, body: string) => void>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const record = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body };
      requests.push(record);
      const path = (req.url ?? '/').split('?')[0] as string;
      const handler = handlers.get(path);
      if (handler) return handler(req, res, body);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(record));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle: (path, handler) => handlers.set(path, handler),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on (connection refused). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A fetch that sends requests for https://*.knoxcall.com to `localUrl` (path and query kept)
 * and records the URL the SDK asked for. Everything else is passed through unchanged.
 */
export function knoxcallDnsOverride(localUrl: string): { fetch: typeof fetch; urls: string[] } {
  const urls: string[] = [];
  const impl: typeof fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    urls.push(url);
    const parsed = new URL(url);
    if (parsed.hostname.endsWith('.knoxcall.com')) {
      return fetch(localUrl + parsed.pathname + parsed.search, init);
    }
    return fetch(input, init);
  };
  return { fetch: impl, urls };
}

/** Polls `condition` every 5 ms (up to ~2 s). Used to act once a request has really reached a server. */
export async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
}

/** Aborts `controller` as soon as `condition` holds (e.g. the request is in flight on the server). */
export function abortWhen(controller: AbortController, condition: () => boolean): void {
  void until(condition).then(() => controller.abort());
}

/** What `useEchoRoute` starts: an emulator with one route, `echo`, and the upstream it points to. */
export interface EchoRoute {
  readonly emu: Emulator;
  readonly upstream: Upstream;
}

/**
 * For the enclosing file: an upstream in this process and an emulator with one route, `echo`,
 * to it, started before the file's tests and stopped after them.
 */
export function useEchoRoute(options: EmulatorOptions = {}): EchoRoute {
  let emu: Emulator | undefined;
  let upstream: Upstream | undefined;
  beforeAll(async () => {
    upstream = await startUpstream();
    emu = await startEmulator({ ...options, seed: { routes: [{ name: 'Echo', slug: 'echo', target_base_url: upstream.url }] } });
  });
  afterAll(async () => {
    await emu?.close();
    await upstream?.close();
  });
  return {
    get emu(): Emulator {
      if (emu === undefined) throw new Error('the emulator has not started');
      return emu;
    },
    get upstream(): Upstream {
      if (upstream === undefined) throw new Error('the upstream has not started');
      return upstream;
    },
  };
}

/**
 * `useEchoRoute` with a client of the emulator (one attempt, so a refused call is seen as it
 * is), closed after the file, and what the emulator and upstream recorded cleared before each case.
 */
export function useEchoRouteClient(): EchoRoute & { readonly client: KnoxCall } {
  const route = useEchoRoute();
  let client: KnoxCall | undefined;
  beforeAll(() => {
    client = new KnoxCall({ baseUrl: route.emu.url, apiKey: route.emu.credentials.apiKey, retry: { maxAttempts: 1 } });
  });
  afterAll(async () => {
    await client?.close();
  });
  beforeEach(() => {
    route.emu.reset();
    route.emu.clearRequests();
    route.upstream.requests.length = 0;
  });
  return {
    get emu(): Emulator {
      return route.emu;
    },
    get upstream(): Upstream {
      return route.upstream;
    },
    get client(): KnoxCall {
      if (client === undefined) throw new Error('the client has not been made');
      return client;
    },
  };
}
