import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LaunchedApp, launch, stageCoreWebBuild, stageDir } from '../../../../tools/runtimes/launch.js';
import { useEchoRoute } from '../client-test-support.js';
import { type LifetimeBindings, lifetimeWorkerSource } from './lifetime-worker.js';

// Issue 19.1: on workerd an I/O object (an AbortController among them) belongs to the request
// that made it. A client built at module scope, or built in one request and cached for the
// next, must work in every request — in current workerd and in the older one miniflare ships.

const servers = useEchoRoute();
beforeEach(() => {
  servers.emu.reset();
  servers.emu.clearRequests();
});

const tokenRequests = () => servers.emu.requests().filter((r) => r.method === 'POST' && r.path === '/oauth/token');

async function get(app: LaunchedApp, path: string): Promise<{ ok: boolean; [k: string]: unknown }> {
  const response = await fetch(app.url + path);
  const body = (await response.json()) as { ok: boolean };
  if (!body.ok) throw new Error(`${path} failed: ${JSON.stringify(body)}\n--- ${app.runtime} output ---\n${app.output()}`);
  return body;
}

describe.each(['workerd', 'miniflare'] as const)('%s', (runtime) => {
  describe.each(['module', 'cached'] as const)('a client built %s-scope', (where) => {
    let app: LaunchedApp;
    let staged: { dir: string; remove(): void };
    beforeAll(async () => {
      staged = stageDir(`lifetime-${runtime}-${where}`);
      stageCoreWebBuild(staged.dir);
      const bindings: LifetimeBindings = {
        KNOXCALL_BASE_URL: servers.emu.url,
        KNOXCALL_CLIENT_ID: servers.emu.credentials.clientId,
        KNOXCALL_CLIENT_SECRET: servers.emu.credentials.clientSecret,
      };
      writeFileSync(join(staged.dir, 'worker.js'), lifetimeWorkerSource(where));
      app = await launch(runtime, staged.dir, 'worker.js', { bindings });
    }, 60_000);
    afterAll(async () => {
      await app?.stop();
      staged?.remove();
    });

    // Runs first, on the cold client: the token fetch started by one request is awaited by the others.
    it('eight concurrent first requests share one token request', async () => {
      const bodies = await Promise.all(Array.from({ length: 8 }, () => get(app, '/routes')));
      expect(bodies.map((b) => b.slugs)).toEqual(Array(8).fill(['echo']));
      expect(tokenRequests()).toHaveLength(1);
    });

    it('serves management and data-plane calls in request after request', async () => {
      expect((await get(app, '/routes')).slugs).toEqual(['echo']);
      expect((await get(app, '/call?path=/one')).status).toBe(200);
      expect((await get(app, '/routes')).slugs).toEqual(['echo']);
      expect((await get(app, '/call?path=/two')).status).toBe(200);
      expect(servers.upstream.requests.map((r) => r.url).slice(-2)).toEqual(['/one', '/two']);
    });
  });
});
