/**
 * One process of the multi-process RedisTokenStore test: builds its own authenticator with
 * a RedisTokenStore (client family from argv), reports "ready", waits for "go" on stdin so
 * every process starts cold at the same moment, then prints the token it got (or
 * `refused {status}` when the token endpoint refused its credential).
 */
import IORedis5 from 'ioredis';
import IORedis6 from 'ioredis6';
import { createClient as createRedis5 } from 'redis';
import { createClient as createRedis4 } from 'redis4';
import { createAuthenticator } from '../src/auth/create-authenticator.js';
import type { RedisClient } from '../src/auth/redis-client-adapter.js';
import { RedisTokenStore } from '../src/auth/redis-token-store.js';

const [family, redisUrl, tokenBaseUrl, prefix] = process.argv.slice(2) as [string, string, string, string];

async function connect(): Promise<{ client: RedisClient; close(): Promise<void> }> {
  switch (family) {
    case 'ioredis5': {
      const c = new IORedis5(redisUrl);
      return { client: c, close: async () => void (await c.quit()) };
    }
    case 'ioredis6': {
      const c = new IORedis6(redisUrl);
      return { client: c, close: async () => void (await c.quit()) };
    }
    case 'redis5': {
      const c = createRedis5({ url: redisUrl });
      await c.connect();
      return { client: c, close: async () => c.destroy() };
    }
    default: {
      const c = createRedis4({ url: redisUrl });
      await c.connect();
      return { client: c, close: async () => void (await c.quit()) };
    }
  }
}

const redis = await connect();
const auth = createAuthenticator({
  options: {
    clientId: process.env.TEST_CLIENT_ID ?? '',
    clientSecret: process.env.TEST_CLIENT_SECRET ?? '',
    tokenStore: new RedisTokenStore({ client: redis.client, prefix }),
  },
  state: { tenant: 'acme', baseUrl: tokenBaseUrl },
  baseUrlExplicit: true,
  tenantExplicit: true,
  sandbox: false,
  fetch: globalThis.fetch,
  userAgent: 'knoxcall-node/multi-process-test',
  // The default: a lock wait may last half of it (store-deadline.ts), longer than a loaded
  // machine can need for the holder's mint.
  timeoutMs: 30_000,
  platform: { runtime: 'node', getEnv: () => undefined, warnOnce: () => {} },
});

process.stdout.write('ready\n');
process.stdin.once('data', async () => {
  try {
    const credential = await auth.getCredential();
    process.stdout.write(`token ${credential.accessToken.expose()}\n`);
  } catch (error) {
    // A refused credential is an expected outcome of some tests: report its status.
    process.stdout.write(`refused ${String((error as { status?: unknown }).status)}\n`);
  }
  await redis.close();
  process.exit(0);
});
