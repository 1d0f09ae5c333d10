import { type Emulator, startEmulator } from '@knoxcall/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedApp, launch, RUNTIMES, stageDir } from '../../../../tools/runtimes/launch.js';
import { bundleFor } from './bundle.js';

// knoxCall({ clientOptions: (c) => … }) on every runtime: the client it builds in the first
// request serves the next ones, with one token for all of them.

const entry = new URL('./client-options-app.ts', import.meta.url).pathname;
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu?.close());

describe.each(RUNTIMES)('hono knoxCall({ clientOptions }) on %s', (runtime) => {
  let app: LaunchedApp;
  let staged: { dir: string; remove(): void };
  beforeAll(async () => {
    staged = stageDir(`hono-client-options-${runtime}`);
    const options = { baseUrl: emu.url, clientId: emu.credentials.clientId, clientSecret: emu.credentials.clientSecret };
    await bundleFor(runtime, entry, staged.dir, { __CLIENT_OPTIONS__: JSON.stringify(options) });
    app = await launch(runtime, staged.dir, 'app.js');
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    staged?.remove();
  });

  it('the cached client serves request after request on one token', async () => {
    emu.clearRequests();
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${app.url}/routes`);
      expect(await response.json(), app.output()).toEqual({ ok: true, listed: true });
    }
    expect(emu.requests().filter((r) => r.path === '/oauth/token')).toHaveLength(1);
  });
});
