import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LaunchedApp, launch, RUNTIMES, stageCoreWebBuild, stageDir } from '../../../../tools/runtimes/launch.js';
import { closedPort } from '../client-test-support.js';
import { useEchoRoute } from '../client-test-support.js';
import { scenarioWorkerSource } from './scenario-worker.js';

// Core's client on its Web build, run by a real Bun, Deno, workerd and miniflare process
// against the emulator and an upstream served by this (Node) test process.

const BIG_CHUNK = 10 * 1024;
const BIG_CHUNKS = 32; // 320 KiB
const bigBody = Buffer.alloc(BIG_CHUNK * BIG_CHUNKS);
for (let i = 0; i < bigBody.length; i++) bigBody[i] = (i * 31 + (i >> 10)) & 0xff;

const servers = useEchoRoute({ dpopNonces: true });
beforeAll(() => {
  // Written chunk by chunk with pauses, so the runtime really streams it.
  servers.upstream.handle('/big', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    let sent = 0;
    const next = () => {
      if (sent === BIG_CHUNKS) return res.end();
      res.write(bigBody.subarray(sent * BIG_CHUNK, (sent + 1) * BIG_CHUNK));
      sent += 1;
      setTimeout(next, 2);
    };
    next();
  });
});
beforeEach(() => servers.emu.clearRequests());

async function run(app: LaunchedApp, scenario: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${app.url}/${scenario}`);
  const body = (await response.json()) as { ok: boolean };
  if (!body.ok) throw new Error(`${scenario} failed on ${app.runtime}: ${JSON.stringify(body)}\n--- output ---\n${app.output()}`);
  return body;
}

describe.each(RUNTIMES)('core client scenarios on %s (Web build)', (runtime) => {
  let app: LaunchedApp;
  let staged: { dir: string; remove(): void };
  beforeAll(async () => {
    staged = stageDir(`scenarios-${runtime}`);
    stageCoreWebBuild(staged.dir);
    const options = { baseUrl: servers.emu.url, clientId: servers.emu.credentials.clientId, clientSecret: servers.emu.credentials.clientSecret };
    writeFileSync(join(staged.dir, 'worker.js'), scenarioWorkerSource(options, `http://127.0.0.1:${await closedPort()}`));
    app = await launch(runtime, staged.dir, 'worker.js');
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    staged?.remove();
  });

  it('management call', async () => {
    expect((await run(app, 'management')).slugs).toEqual(['echo']);
  });

  it('call() through the proxy', async () => {
    const result = await run(app, 'call');
    expect(result.status).toBe(200);
    const echoed = result.echoed as { method: string; url: string; body: string; headers: Record<string, string> };
    expect(echoed).toMatchObject({ method: 'POST', url: '/from-runtime', body: '{"hello":"runtime"}' });
    expect(echoed.headers['content-type']).toMatch(/^application\/json/);
  });

  it.each([
    ['dpop-management', '/v1/routes'],
    ['dpop-call', '/dpop'],
  ])('DPoP with server nonces (%s): a rotated nonce costs one re-send and no re-mint', async (scenario, path) => {
    await run(app, scenario); // warm: token and first nonce
    servers.emu.rotateDpopNonce();
    servers.emu.clearRequests();
    await run(app, scenario);
    const sent = servers.emu.requests().filter((r) => r.path === path);
    expect(sent).toHaveLength(2);
    expect(sent[0]?.headers.authorization).toMatch(/^DPoP /);
    expect(sent[1]?.headers.dpop).not.toBe(sent[0]?.headers.dpop);
    expect(servers.emu.requests().filter((r) => r.path === '/oauth/token')).toHaveLength(0);
  });

  // workerd reports a refused connection as "Network connection lost.", the same as a reset
  // after sending, so there a refused POST is (safely) not retried: the known difference.
  const refusedRetried = runtime !== 'workerd' && runtime !== 'miniflare';
  it(`a refused connection ${refusedRetried ? 'is retried even for a POST' : 'fails a POST after one attempt (workerd cannot tell it from a reset)'}`, async () => {
    const result = await run(app, 'refused');
    expect(result).toMatchObject({ name: 'APIConnectionError', requests: refusedRetried ? 3 : 1 });
    expect((result.retries as string[]).length).toBe(refusedRetried ? 2 : 0);
  });

  it('a POST reset after the server read it reaches the upstream once and is not replayed', async () => {
    servers.emu.script('POST', '/charge', [{ reset: true }]);
    const before = servers.upstream.requests.length;
    const result = await run(app, 'reset-post');
    expect(result).toMatchObject({ name: 'APIConnectionError', requests: 1, retries: [] });
    expect(servers.emu.requests().filter((r) => r.path === '/charge')).toHaveLength(1);
    expect(servers.upstream.requests.slice(before).filter((r) => r.url === '/charge')).toEqual([]);
  });

  it('a GET reset every time: exactly maxAttempts attempts, whatever the runtime re-sends underneath', async () => {
    servers.emu.script(
      'GET',
      '/flaky',
      Array.from({ length: 12 }, () => ({ reset: true as const })),
    );
    const result = await run(app, 'reset-get');
    expect(result).toMatchObject({ name: 'APIConnectionError', requests: 3 });
    expect((result.retries as string[]).length).toBe(2);
    // Each attempt reached the emulator at least once (a runtime may have re-sent it).
    expect(servers.emu.requests().filter((r) => r.path === '/flaky').length).toBeGreaterThanOrEqual(3);
    servers.emu.script('GET', '/flaky', []);
  });

  it('a 320 KiB response streamed through the proxy arrives whole', async () => {
    const result = await run(app, 'stream');
    expect(result).toMatchObject({ status: 200, bytes: bigBody.length });
    expect(result.sha256).toBe(createHash('sha256').update(bigBody).digest('hex'));
    expect(result.reads as number).toBeGreaterThan(1);
  });
});
