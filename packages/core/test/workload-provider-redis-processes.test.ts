/**
 * Two processes starting cold at the same moment with WorkloadCredentialProviders on one
 * Redis make ONE exchange between them: the in-process lock cannot do that, only the
 * RedisTokenStore's lock plus the provider's double-checked re-read can.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Emulator, startEmulator } from '@knoxcall/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bundleChild, startChild } from './child-process-support.js';
import { describeRedis, REDIS_URL, uniquePrefix } from './token-store-redis-clients.js';

describeRedis('WorkloadCredentialProvider across processes', () => {
  let emulator: Emulator;
  let outDir: string;
  let script: string;

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'knoxcall-workload-mp-'));
    script = await bundleChild('workload-provider-redis-child.ts', outDir);
    emulator = await startEmulator();
  }, 30_000);
  afterAll(async () => {
    await emulator?.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('2 processes sharing Redis → one exchange, one token', async () => {
    const prefix = uniquePrefix('workload-mp');
    const children = [0, 1].map(() => startChild(script, [REDIS_URL!, emulator.url, prefix], {}));
    await Promise.all(children.map((c) => c.ready));
    emulator.clearRequests();
    // A slow exchange widens the race window the lock must close.
    emulator.script('POST', '/v1/oauth/token', [{ delayMs: 200 }]);
    for (const c of children) c.child.stdin.write('go\n');
    const tokens = await Promise.all(children.map((c) => c.token));
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).toMatch(/^kcg_/);
    expect(emulator.requests().filter((r) => r.path === '/v1/oauth/token')).toHaveLength(1);
  }, 30_000);
});
