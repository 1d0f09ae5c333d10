/**
 * `pnpm start`: the example as a process. With KnoxCall credentials in the environment it
 * talks to that KnoxCall; without, it starts a local emulator first (see README).
 */
import { startServer } from './nest-server.js';
import { configFromEnv, hasKnoxCallCredentials } from './config.js';

async function main(): Promise<void> {
  let local: import('./local-knoxcall.js').LocalKnoxCall | undefined;
  if (!hasKnoxCallCredentials()) {
    const { startLocalKnoxCall } = await import('./local-knoxcall.js');
    const format = (process.env.KNOXCALL_WEBHOOK_FORMAT || 'legacy') as Parameters<typeof startLocalKnoxCall>[1];
    local = await startLocalKnoxCall(process.env.KNOXCALL_ROUTE || 'hello', format);
    process.env.KNOXCALL_WEBHOOK_SECRET = local.webhookSecret;
    console.log(`No KnoxCall credentials set: using a local KnoxCall emulator at ${local.emulator.url}`);
  }
  const config = configFromEnv();
  const running = await startServer({ ...config, knoxcall: local?.knoxcall ?? config.knoxcall });
  await local?.subscribe(running.url);
  console.log(`NestJS example listening on ${running.url}`);
  console.log(`  curl ${running.url}/api/hello          # a call through the KnoxCall route "${config.route}"`);
  console.log(`  curl ${running.url}/webhooks/recent    # the webhook events received so far`);

  const stop = (): void => {
    running
      .close()
      .then(() => local?.close())
      .catch((error: unknown) => console.error('shutdown:', error instanceof Error ? error.message : error))
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
