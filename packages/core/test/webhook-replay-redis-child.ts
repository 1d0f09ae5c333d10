/**
 * One receiving process of the crash test (webhook-replay-redis-processes.test.ts): core's
 * webhook processor with a RedisReplayStore (ioredis) and a handler that reports "handling"
 * and then never finishes — the parent kills this process mid-handler (SIGKILL).
 * argv: redisUrl prefix leaseSeconds; stdin: one JSON delivery { body, headers } per line.
 */
import IORedis from 'ioredis';
import { recordingProcessor } from './webhook-actions-recorder.js';
import { RedisReplayStore } from '../src/webhooks/index.js';

const [redisUrl, prefix, leaseSeconds] = process.argv.slice(2) as [string, string, string];
const redis = new IORedis(redisUrl);
const processor = recordingProcessor<undefined, []>({
  secret: 'whsec_crash_test',
  replayStore: new RedisReplayStore({ client: redis, prefix }),
  replayLeaseSeconds: Number(leaseSeconds),
  on: {
    '*': () => {
      process.stdout.write('handling\n');
      return new Promise<never>(() => {}); // stuck until the process dies
    },
  },
});

let buffered = '';
process.stdin.on('data', (chunk: Buffer) => {
  buffered += chunk.toString();
  for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
    const { body, headers } = JSON.parse(buffered.slice(0, newline)) as { body: string; headers: Record<string, string> };
    buffered = buffered.slice(newline + 1);
    void processor.process({ ctx: undefined, headers, readBody: () => new TextEncoder().encode(body), args: [], isAnswered: () => false });
  }
});
await redis.ping();
process.stdout.write('ready\n');
