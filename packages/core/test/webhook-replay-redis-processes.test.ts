/**
 * A process that dies mid-handler must not swallow the delivery: its in-progress lease in
 * Redis answers the other process's retry 409 (never "duplicate") until it lapses, and then
 * the retry runs the handler and marks the delivery done. Two real processes, one real Redis.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signWebhook } from '@knoxcall/testing/signer';
import IORedis from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordingProcessor } from './webhook-actions-recorder.js';
import { RedisReplayStore } from '../src/webhooks/index.js';
import { bundleChild } from './child-process-support.js';
import { nodeBinary } from './node-binary.js';
import { describeRedis, REDIS_URL, uniquePrefix } from './token-store-redis-clients.js';

const SECRET = 'whsec_crash_test';
const LEASE_SECONDS = 2;

function waitForLine(child: ChildProcessWithoutNullStreams, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(`${line}\n`)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before "${line}"`)));
  });
}

describeRedis('RedisReplayStore: a receiving process dies mid-handler', () => {
  let outDir: string;
  let script: string;
  let redis: IORedis;
  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'knoxcall-replay-crash-'));
    script = await bundleChild('webhook-replay-redis-child.ts', outDir);
    redis = new IORedis(REDIS_URL!);
  }, 30_000);
  afterAll(async () => {
    await redis?.quit();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('the retry gets 409 while the dead lease lives, then runs the handler once the lease lapsed', async () => {
    const prefix = `${uniquePrefix('crash')}:`;
    const child = spawn(nodeBinary, [script, REDIS_URL!, prefix, String(LEASE_SECONDS)], { stdio: ['pipe', 'pipe', 'pipe'] });
    await waitForLine(child, 'ready');
    const body = JSON.stringify({ event: 'request.success', timestamp: new Date().toISOString(), data: { id: prefix } }, null, 2);
    const signed = await signWebhook({ body, secret: SECRET, format: 'legacy' });
    const headers = { 'content-type': 'application/json', ...Object.fromEntries(Object.entries(signed).map(([k, v]) => [k.toLowerCase(), v])) };

    const handling = waitForLine(child, 'handling');
    child.stdin.write(`${JSON.stringify({ body, headers })}\n`);
    await handling;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL'); // dies mid-handler: no release, no complete
    await exited;

    const runs: string[] = [];
    const survivor = recordingProcessor<undefined, []>({
      secret: SECRET,
      replayStore: new RedisReplayStore({ client: redis, prefix }),
      replayLeaseSeconds: LEASE_SECONDS,
      on: { '*': (event) => void runs.push(event.event) },
    });
    const retry = () => survivor.process({ ctx: undefined, headers, readBody: () => new TextEncoder().encode(body), args: [], isAnswered: () => false });

    const early = await retry();
    expect(early).toMatchObject({ kind: 'respond', status: 409, body: { error: { type: 'delivery_in_progress' } } });
    expect(runs).toEqual([]);

    await new Promise((resolve) => setTimeout(resolve, LEASE_SECONDS * 1000 + 300));
    expect(await retry()).toMatchObject({ kind: 'respond', status: 200, body: { received: true } });
    expect(runs).toEqual(['request.success']);
    expect(await retry()).toMatchObject({ status: 200, body: { received: true, duplicate: true } });
    expect(runs).toHaveLength(1);
  }, 30_000);
});
