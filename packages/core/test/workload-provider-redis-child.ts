/**
 * One process of the multi-process WorkloadCredentialProvider test: a provider on a shared
 * Redis (ioredis), whose assertion source asks the emulator's GitHub Actions stand-in for a
 * fresh OIDC token each time. Reports "ready", waits for "go", prints the token it got.
 */
import IORedis5 from 'ioredis';
import { RedisTokenStore } from '../src/auth/redis-token-store.js';
import { WorkloadCredentialProvider } from '../src/token-exchange/index.js';

const [redisUrl, emulatorUrl, prefix] = process.argv.slice(2) as [string, string, string];
const redis = new IORedis5(redisUrl);

const provider = new WorkloadCredentialProvider({
  baseUrl: emulatorUrl,
  store: new RedisTokenStore({ client: redis, prefix }),
  async assertion() {
    const response = await fetch(`${emulatorUrl}/_platforms/github/token?api-version=2.0&audience=knoxcall:gateway`, {
      headers: { authorization: 'Bearer child-request-token' },
    });
    return ((await response.json()) as { value: string }).value;
  },
});

process.stdout.write('ready\n');
process.stdin.once('data', async () => {
  const token = await provider.getAccessToken();
  process.stdout.write(`token ${token.expose()}\n`);
  await redis.quit();
  process.exit(0);
});
