/**
 * The `knoxcall` command as a function, for tools that embed it: `runCli(argv, io)` resolves
 * with the exit code instead of exiting. The bin is `bin/knoxcall.mjs`.
 */
export { type CliIo, processIo } from './io.js';
export { runCli } from './run.js';
