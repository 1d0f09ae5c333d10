/**
 * Node 24's NODE_USE_ENV_PROXY installs a proxying global dispatcher at startup. Management
 * calls use the global dispatcher, so they go through the proxy exactly as fetch would: a
 * Node 24 child process (the built package) calls a local server with HTTP_PROXY pointing at
 * a local proxy, which records what passed through it.
 */
import { execFile } from 'node:child_process';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fetchRuntimes } from '../../../scripts/runtimes.mjs';

const run = promisify(execFile);
const builtEntry = pathToFileURL(join(resolve(__dirname, '..'), 'dist', 'index.js')).href;

let target: Server;
let proxy: Server;
let targetUrl: string;
let proxyUrl: string;
const proxied: string[] = [];
const sockets = new Set<Socket>();

function listen(server: Server): Promise<string> {
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

beforeAll(async () => {
  target = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ path: req.url, secFetchMode: req.headers['sec-fetch-mode'] ?? null }));
  });
  targetUrl = await listen(target);
  // A forward proxy: absolute-form requests are relayed, CONNECT opens a tunnel.
  proxy = createServer((req, res) => {
    proxied.push(`${req.method} ${req.url}`);
    const upstream = httpRequest(req.url as string, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  proxy.on('connect', (req, client: Socket, head: Buffer) => {
    proxied.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url as string).split(':');
    const upstream = connect(Number(port), host as string, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  proxyUrl = await listen(proxy);
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all([target, proxy].map((server) => new Promise<void>((done) => server.close(() => done()))));
});

it('NODE_USE_ENV_PROXY (Node 24): a management call goes through HTTP_PROXY, over the dispatcher', async () => {
  const node24 = fetchRuntimes({ quiet: true }).node24;
  const script = `
    import { KnoxCall } from ${JSON.stringify(builtEntry)};
    const client = new KnoxCall({ baseUrl: ${JSON.stringify(targetUrl)}, apiKey: 'kc_test_key', retry: { maxAttempts: 1 } });
    console.log(JSON.stringify(await client.request({ method: 'GET', path: '/v1/through-proxy' })));
    await client.close();
  `;
  const { stdout } = await run(node24, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH, NODE_USE_ENV_PROXY: '1', HTTP_PROXY: proxyUrl, NO_PROXY: '', GCE_METADATA_HOST: process.env.GCE_METADATA_HOST },
  });
  // The answer came back, sent by the dispatcher (fetch would have added Sec-Fetch-Mode) ...
  expect(JSON.parse(stdout)).toEqual({ path: '/v1/through-proxy', secFetchMode: null });
  // ... and it went through the proxy.
  const host = new URL(targetUrl).host;
  expect(proxied.some((line) => line === `CONNECT ${host}` || line === `GET ${targetUrl}/v1/through-proxy`)).toBe(true);
});
