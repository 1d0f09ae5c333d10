// What CI runs after the build: first the gates — typecheck, lint (Biome, formatting
// included), the package checks (publint, attw, packaging) and the public API (reports and
// changeset bumps), each once and timed — then the whole test suite: every package's vitest
// project (with a real Redis) on this machine's Node — which includes the runtime matrix files
// (test/runtimes/: Bun, Deno, workerd and miniflare processes) — then the whole suite again on
// Node 24 (without the runtime matrix and the repository checks, which do not depend on the
// Node that drives them), then the demo as an end-to-end run. A failed gate does not stop the
// tests: one CI run reports everything that is wrong. `--matrix` (pnpm test:matrix) adds whole-suite runs on Node 20 and Node 22. The
// runtimes come from tools/runtimes' lockfile (see scripts/runtimes.mjs). Prints one closing
// line: "N passed, N failed, N skipped" (a gate and the demo count as one each).
// KNOXCALL_SKIP_GATES=1 runs the tests alone.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startRedis } from './redis-server.mjs';
import { fetchRuntimes, repoRoot } from './runtimes.mjs';

const argv = process.argv.slice(2);
const matrix = argv.includes('--matrix');
const vitestArgs = argv.filter((arg) => arg !== '--matrix');
const vitest = join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs');

function run(command, args, env) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const summary = [];

/** One whole-suite vitest run under `node`; its counts are added to the totals. */
async function suite(label, node, extraArgs, env) {
  console.log(`\n— ${label} —`);
  const report = `.vitest-report-${label.replace(/\W+/g, '-')}.json`;
  rmSync(report, { force: true });
  const started = Date.now();
  const code = await run(node, [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extraArgs, ...vitestArgs], env);
  let counts = { passed: 0, failed: 0, skipped: 0 };
  if (existsSync(report)) {
    const result = JSON.parse(readFileSync(report, 'utf8'));
    counts = { passed: result.numPassedTests, failed: result.numFailedTests, skipped: result.numPendingTests + result.numTodoTests };
    rmSync(report, { force: true });
  }
  if (code !== 0 && counts.failed === 0) counts.failed = 1; // a crash or a failed suite with no test counted
  for (const key of Object.keys(totals)) totals[key] += counts[key];
  summary.push(`${label}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** One gate: a root package script, run once; passes or fails as a whole. */
async function gate(script) {
  console.log(`\n— gate: pnpm ${script} —`);
  const started = Date.now();
  const code = await run('pnpm', ['--silent', script]);
  if (code === 0) totals.passed += 1;
  else totals.failed += 1;
  summary.push(`gate pnpm ${script}: ${code === 0 ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s`);
}

if (process.env.KNOXCALL_SKIP_GATES !== '1') {
  for (const script of ['typecheck', 'lint', 'check', 'api:check', 'api:bumps']) await gate(script);
}

const runtimes = fetchRuntimes();
const redis = await startRedis();
try {
  const env = { REDIS_URL: redis.url, KNOXCALL_REQUIRE_REDIS: '1' };
  await suite(`whole suite + runtime matrix on this machine's Node ${process.version}`, process.execPath, [], env);
  // The runtime matrix files start the same Bun/Deno/workerd processes whichever Node drives
  // them, and the repository project (test/: consumer type checks with tsc, the docs) reads
  // files: once is enough.
  const nodeOnly = ['--exclude', '**/test/runtimes/**', '--project', '!repo', '--passWithNoTests'];
  const others = matrix ? ['node24', 'node20', 'node22'] : ['node24'];
  for (const name of others) await suite(`whole suite on Node ${name.slice(4)}`, runtimes[name], nodeOnly, env);
} finally {
  await redis.stop();
}

if (existsSync('scripts/demo.mjs') && process.env.KNOXCALL_SKIP_DEMO !== '1') {
  console.log('\n— end to end: pnpm demo —');
  const demoCode = await run('node', ['scripts/demo.mjs']);
  if (demoCode === 0) totals.passed += 1;
  else totals.failed += 1;
}

console.log(`\n${summary.join('\n')}`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
