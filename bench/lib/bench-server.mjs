// The framework benches run their apps in a child process (this same file, forked with
// `server` arguments) so the load generator does not share the apps' event loop; the child
// reports its own CPU time on request, which other processes on the machine barely disturb.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Every app process gets the same young generation (V8's semi-space, in MB). Left to V8, its
 * size is a per-process heuristic: identical app processes of one run were seen collecting
 * 12.5 to 42.5 times per 10,000 requests, 6–15 µs of CPU per request, which decided the
 * comparison more than the code did. `BENCH_SEMI_SPACE_MB=0` leaves the sizing to V8.
 */
const SEMI_SPACE_MB = Number(process.env.BENCH_SEMI_SPACE_MB ?? 16);
const GC_FLAGS = SEMI_SPACE_MB > 0 ? [`--min-semi-space-size=${SEMI_SPACE_MB}`, `--max-semi-space-size=${SEMI_SPACE_MB}`] : [];

/**
 * Forks the bench file at `moduleUrl` with `args` and resolves with `{ child, ready }`, where
 * `ready` is the first message the child sends (its ports); rejects if the child exits first.
 */
export async function forkBenchServer(moduleUrl, args) {
  const child = fork(fileURLToPath(moduleUrl), args, { stdio: 'inherit', execArgv: [...process.execArgv, ...GC_FLAGS] });
  const ready = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`bench server exited (${code}); did you run pnpm build?`)));
  });
  return { child, ready };
}

/** In the child: answer every 'cpu' message with this process's CPU usage so far. */
export function answerCpuRequests() {
  process.on('message', (message) => {
    if (message === 'cpu') process.send({ cpu: process.cpuUsage() });
  });
}

/** In the parent: the child's user + system CPU time so far, in microseconds. */
export function serverCpuMicros(child) {
  return new Promise((resolve) => {
    const onMessage = (message) => {
      if (message?.cpu === undefined) return;
      child.off('message', onMessage);
      resolve(message.cpu.user + message.cpu.system);
    };
    child.on('message', onMessage);
    child.send('cpu');
  });
}
