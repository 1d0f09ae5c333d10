/**
 * `pnpm start`: the example as a process. With KnoxCall credentials in the environment it
 * talks to that KnoxCall; without, it starts a local emulator first (see README).
 */
import { startServer } from './nest-server.js';
import { type ExampleConfig, configFromEnv, hasKnoxCallCredentials } from './config.js';
import type { LocalKnoxCall } from './local-knoxcall.js';

async function main(): Promise<void> {
  let config: ExampleConfig;
  let local: LocalKnoxCall | undefined;
  if (hasKnoxCallCredentials()) {
    config = configFromEnv();
  } else {
    // Checked before anything starts; the local emulator then provides the webhook secret.
    const wanted = configFromEnv({ ...process.env, KNOXCALL_WEBHOOK_SECRET: process.env.KNOXCALL_WEBHOOK_SECRET || 'set-by-the-emulator' });
    const { startLocalKnoxCall } = await import('./local-knoxcall.js');
    local = await startLocalKnoxCall(wanted.route, wanted.webhook);
    config = { ...wanted, webhook: { ...wanted.webhook, secret: local.webhookSecret }, knoxcall: local.knoxcall };
    console.log(`No KnoxCall credentials set: using a local KnoxCall emulator at ${local.emulator.url}`);
  }
  const running = await startServer(config);
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
