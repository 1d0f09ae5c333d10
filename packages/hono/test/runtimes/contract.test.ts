import { type ControlServer, remoteAdapter, runAdapterContract, startControlServer } from '@knoxcall/adapter-contract';
import { afterAll, beforeAll, describe } from 'vitest';
import { type LaunchedApp, launch, type RuntimeName, stageDir } from '../../../../tools/runtimes/launch.js';
import { bundleFor } from './bundle.js';

// The adapter contract suite against the Hono app served by a real Bun, Deno, workerd and
// miniflare process (issue 19): the same cases as test/contract.test.ts on Node.

// Checked against a bare Worker that awaits a fetch with request.signal: when the caller
// aborts, local workerd (alone and under miniflare) fires no abort event and keeps the
// upstream connection open, with or without the enable_request_signal flag and with
// ctx.waitUntil holding the request open; Bun and Deno abort at once.
const LOCAL_WORKERD_DISCONNECT = "a local workerd does not notice the caller's disconnect while a request is in flight: request.signal never aborts";

const entry = new URL('./remote-contract-app.ts', import.meta.url).pathname;
const runtimes: RuntimeName[] = ['bun', 'deno', 'workerd', 'miniflare'];

describe.each(runtimes)('hono on %s', (runtime) => {
  let control: ControlServer;
  let app: LaunchedApp;
  let staged: { dir: string; remove(): void };
  beforeAll(async () => {
    control = await startControlServer();
    staged = stageDir(`hono-contract-${runtime}`);
    await bundleFor(runtime, entry, staged.dir, { __CONTROL_URL__: control.url });
    app = await launch(runtime, staged.dir, 'app.js');
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await control?.close();
    staged?.remove();
  });

  runAdapterContract(
    remoteAdapter({
      name: `hono (${runtime})`,
      origin: () => app.url,
      control: () => control,
      ...(runtime === 'workerd' || runtime === 'miniflare' ? { skip: { 'caller-disconnect': LOCAL_WORKERD_DISCONNECT } } : {}),
    }),
  );
});
