/**
 * Several processes starting cold at the same moment, sharing one Redis and one token
 * endpoint, must mint exactly one token between them: the in-process promise cannot do
 * that, only the store's Redis lock can.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '@knoxcall/testing';
import { bundleChild, startChild } from './child-process-support.js';
import { describeRedis, REDIS_URL, uniquePrefix } from './token-store-redis-clients.js';

const SECOND_CLIENT = { client_id: 'kc_client_second', client_secret: 'kcs_second_secret_value' };

describeRedis('RedisTokenStore across processes', () => {
  let emulator: Emulator;
  let outDir: string;
  let script: string;

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'knoxcall-redis-mp-'));
    script = await bundleChild('token-store-redis-child.ts', outDir);
    emulator = await startEmulator({ seed: { oauth_clients: [{}, SECOND_CLIENT] } });
  }, 30_000);
  afterAll(async () => {
    await emulator?.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('4 processes (ioredis 5, ioredis 6, node-redis 5, node-redis 4) starting cold mint exactly one token', async () => {
    const prefix = uniquePrefix('mp');
    const families = ['ioredis5', 'ioredis6', 'redis5', 'redis4'];
    const env = { TEST_CLIENT_ID: emulator.credentials.clientId, TEST_CLIENT_SECRET: emulator.credentials.clientSecret };
    const children = families.map((family) => startChild(script, [family, REDIS_URL!, emulator.url, prefix], env));
    await Promise.all(children.map((c) => c.ready));
    emulator.clearRequests();
    // A slow token endpoint widens the race window the lock must close.
    emulator.script('POST', '/oauth/token', [{ delayMs: 150 }]);
    for (const c of children) c.child.stdin.write('go\n');
    const tokens = await Promise.all(children.map((c) => c.token));
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).toMatch(/^kc_/);
    expect(emulator.requests().filter((r) => r.path === '/oauth/token')).toHaveLength(1);
  }, 30_000);

  it('processes of one tenant with different credentials never share a token; a wrong secret is refused', async () => {
    const prefix = uniquePrefix('mp-identity');
    const { clientId, clientSecret } = emulator.credentials;
    const run = async (id: string, secret: string) => {
      const c = startChild(script, ['ioredis5', REDIS_URL!, emulator.url, prefix], { TEST_CLIENT_ID: id, TEST_CLIENT_SECRET: secret });
      await c.ready;
      c.child.stdin.write('go\n');
      return c.token;
    };
    // The first process warms Redis for the emulator's client; the others start after it.
    const first = await run(clientId, clientSecret);
    expect(first).toMatch(/^kc_/);
    emulator.clearRequests();
    const [again, second, wrong] = await Promise.all([
      run(clientId, clientSecret),
      run(SECOND_CLIENT.client_id, SECOND_CLIENT.client_secret),
      run(clientId, 'kcs_not_the_secret'),
    ]);
    expect(again).toBe(first);
    expect(second).toMatch(/^kc_/);
    expect(second).not.toBe(first);
    expect(wrong).toBe('refused 401');
    // Only the second client and the wrong secret went to the token endpoint; the warm client reused Redis.
    const minted = emulator
      .requests()
      .filter((r) => r.path === '/oauth/token')
      .map((r) => r.headers.authorization);
    const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
    expect(minted.sort()).toEqual([basic(SECOND_CLIENT.client_id, SECOND_CLIENT.client_secret), basic(clientId, 'kcs_not_the_secret')].sort());
  }, 30_000);
});
