#!/usr/bin/env node
import { CLI_USAGE, CliUsageError, loadSeedFile, parseCliArgs } from './emulator/cli-args.js';
import { startEmulator } from './emulator/server.js';

/**
 * `knoxcall-emulator`: starts the emulator on 127.0.0.1, prints its URL and credentials, and runs
 * until SIGINT/SIGTERM. Exit codes: 0 on a clean stop, 1 on failure, 2 on a usage error.
 */
async function main(): Promise<void> {
  const command = parseCliArgs(process.argv.slice(2));
  if (command.kind === 'help') {
    process.stdout.write(`${CLI_USAGE}\n`);
    return;
  }
  const seed = command.seedPath === undefined ? undefined : loadSeedFile(command.seedPath);
  const emulator = await startEmulator({ ...command.options, ...(seed ? { seed } : {}) });
  const c = emulator.credentials;
  process.stdout.write(
    `KnoxCall emulator listening on ${emulator.url}\n` +
      `  tenant:        ${emulator.tenant}\n` +
      `  client id:     ${c.clientId}\n` +
      `  client secret: ${c.clientSecret}\n` +
      `  api key:       ${c.apiKey}\n` +
      `  legacy key:    ${c.legacyKey}\n` +
      `Try: KNOXCALL_BASE_URL=${emulator.url} KNOXCALL_API_KEY=${c.apiKey} node app.js   (Ctrl-C to stop)\n`,
  );
  const stop = () => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  if (e instanceof CliUsageError) {
    process.stderr.write(`error: ${e.message}\n\n${CLI_USAGE}\n`);
    process.exit(2);
  }
  process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
