import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedApp, launch, RUNTIMES, stageDir } from '../../../../tools/runtimes/launch.js';
import { bundleFor } from './bundle.js';

// The RESP client of the remote contract app on every runtime, against a real Redis
// (REDIS_URL; skipped without it unless KNOXCALL_REQUIRE_REDIS=1, as core's Redis tests).

const REDIS_URL = process.env.REDIS_URL;
if (!REDIS_URL && process.env.KNOXCALL_REQUIRE_REDIS === '1') throw new Error('KNOXCALL_REQUIRE_REDIS=1 but REDIS_URL is not set');
const describeRedis = (REDIS_URL ? describe : describe.skip) as typeof describe;
const entry = new URL('./resp-client-app.ts', import.meta.url).pathname;

describeRedis.each(RUNTIMES)('the remote app’s RESP client on %s', (runtime) => {
  let app: LaunchedApp;
  let staged: { dir: string; remove(): void };
  beforeAll(async () => {
    const url = new URL(REDIS_URL as string);
    staged = stageDir(`hono-resp-client-${runtime}`);
    await bundleFor(runtime, entry, staged.dir, { __REDIS__: JSON.stringify({ host: url.hostname, port: Number(url.port || 6379) }) });
    app = await launch(runtime, staged.dir, 'app.js');
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    staged?.remove();
  });

  it('runs a RedisReplayStore: claimed, in progress, released, done for good', async () => {
    const response = await fetch(`${app.url}/?key=resp-client-${runtime}-${crypto.randomUUID()}`);
    expect(await response.json(), app.output()).toEqual({ states: ['claimed', 'in_progress', 'claimed', 'done'] });
  });
});
