// The whole test suite: every package's vitest project (with a real Redis), then the demo
// as an end-to-end run. Prints one closing line: "N passed, N failed, N skipped".
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { startRedis } from './redis-server.mjs';

const report = '.vitest-report.json';

function run(command, args, env) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const redis = await startRedis();
let vitestCode;
try {
  rmSync(report, { force: true });
  vitestCode = await run(
    'pnpm',
    ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
    { REDIS_URL: redis.url, KNOXCALL_REQUIRE_REDIS: '1' },
  );
} finally {
  await redis.stop();
}

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(report)) {
  const result = JSON.parse(readFileSync(report, 'utf8'));
  passed = result.numPassedTests;
  failed = result.numFailedTests;
  skipped = result.numPendingTests + result.numTodoTests;
}
if (vitestCode !== 0 && failed === 0) failed = 1; // a crash or a failed suite with no test counted

if (existsSync('scripts/demo.mjs') && process.env.KNOXCALL_SKIP_DEMO !== '1') {
  console.log('\n— end to end: pnpm demo —');
  const demoCode = await run('node', ['scripts/demo.mjs']);
  if (demoCode === 0) passed += 1;
  else failed += 1;
}

console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
