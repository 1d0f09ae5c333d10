#!/usr/bin/env node
/** `knoxcall`: see run.ts for commands and exit codes. Ctrl-C prints `aborted` and exits 1. */
import { processIo } from './io.js';
import { runCli } from './run.js';

process.once('SIGINT', () => {
  process.stderr.write('aborted\n');
  process.exit(1);
});

runCli(process.argv.slice(2), processIo).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
