// The build step of `pnpm demo` (`node scripts/demo.mjs --build`): the JavaScript of every
// package and example app the demo imports, through turbo's `build:js` task — cached, so a
// second run is near-instant — and without declaration files, which the demo never reads and
// which are most of what a full `pnpm build` costs. Quiet by design: turbo's output is kept
// and shown only when the build fails, so what a new user sees is the demo's summary.
import { spawn } from 'node:child_process';

/** Runs the build; resolves to a one-line summary, or rejects with turbo's output. */
export async function buildForDemo(root) {
  const started = performance.now();
  const { code, output } = await new Promise((resolve, reject) => {
    const child = spawn('pnpm', ['exec', 'turbo', 'run', 'build:js', '--output-logs=errors-only'], {
      cwd: root,
      env: { ...process.env, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32',
    });
    const chunks = [];
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
    child.once('error', reject);
    child.once('close', (exitCode) => resolve({ code: exitCode ?? 1, output: Buffer.concat(chunks).toString('utf8') }));
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (code !== 0) {
    throw new Error(`the build failed (turbo run build:js, exit code ${code}) after ${seconds} s:\n${output.trim()}`);
  }
  const cached = /Cached:\s+(\d+) cached, (\d+) total/.exec(output);
  return `built the packages and examples in ${seconds} s${cached ? ` (${cached[1]} of ${cached[2]} tasks from turbo's cache)` : ''}`;
}
