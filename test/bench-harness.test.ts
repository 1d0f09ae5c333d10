import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runtimes } from '../scripts/runtimes.mjs';
import { repoRoot } from './support/repo.js';

// The benchmark harness (bench/run.mjs) as `pnpm bench` runs it, with tiny workloads: its
// summary table, its exit codes and its --node / BENCH_NODE handling. Timing is never
// asserted (the machine is shared and noisy); the shape of what is reported is.

const RUN = join(repoRoot, 'bench', 'run.mjs');
const FIXTURES = join(repoRoot, 'test', 'fixtures', 'bench-harness');
// A cached Node whose major differs from the one running the tests, so the version the
// summary prints can only have come from the binary the harness was told to use.
const OTHER_MAJOR = process.versions.node.startsWith('24.') ? 22 : 24;

function runHarness(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [RUN, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, BENCH_NODE: '', ...env },
    timeout: 170_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The summary table's rows (after the header and the separator), as trimmed cells keyed by column title. */
function summaryRows(stdout: string) {
  const summary = stdout.slice(stdout.indexOf('=== summary'));
  const lines = summary.split('\n').filter((line) => line.startsWith('| '));
  const cells = (line: string) =>
    line
      .slice(2, -2)
      .split(' | ')
      .map((cell) => cell.trim());
  const [header = '', separator, ...rows] = lines;
  expect(separator).toMatch(/^\| -+ \| -+/);
  const titles = cells(header);
  expect(titles).toEqual(['bench', 'row', 'median [p10–p90]', 'CPU µs/req (subject / baseline)', 'target', 'met', 'runtime']);
  return rows.map((line) => Object.fromEntries(cells(line).map((cell, i) => [titles[i], cell])));
}

function versionOf(binary: string) {
  return spawnSync(binary, ['-p', 'process.version'], { encoding: 'utf8' }).stdout.trim();
}

describe('bench/run.mjs', () => {
  it(`runs a real bench under --node ${OTHER_MAJOR} and prints its rows in the summary table`, () => {
    const { code, stdout, stderr } = runHarness(['--node', String(OTHER_MAJOR), 'core-view'], { BENCH_ROUNDS: '3', BENCH_BATCH: '50' });
    expect(code, stderr).toBe(0);
    const version = versionOf(runtimes[`node${OTHER_MAJOR}` as 'node22' | 'node24']);
    expect(version).toMatch(new RegExp(`^v${OTHER_MAJOR}\\.`));
    expect(version).not.toBe(process.version);
    expect(stdout).toContain(`=== summary (reported, not gated): Node ${version} (`);

    const rows = summaryRows(stdout);
    const extra = rows.find((row) => row.row === 'view extra');
    expect(extra, stdout).toBeDefined();
    expect(extra?.bench).toBe('core request-scoped view');
    // A median with its spread, CPU µs of both sides, the target, a verdict, the Node used.
    expect(extra?.['median [p10–p90]']).toMatch(/^-?\d+\.\d+ µs \[-?\d+\.\d+–-?\d+\.\d+\]$/);
    expect(extra?.['CPU µs/req (subject / baseline)']).toMatch(/^\d+(\.\d+)? \/ \d+(\.\d+)?$/);
    expect(extra?.target).toBe('<= 5 µs');
    expect(['met', 'MISSED']).toContain(extra?.met);
    expect(extra?.runtime).toBe(version);
  });

  it('judges targets on the median, marks crashed and malformed benches, and exits 1 for them (BENCH_NODE)', () => {
    const node = runtimes[`node${OTHER_MAJOR}` as 'node22' | 'node24'];
    const version = versionOf(node);
    const { code, stdout } = runHarness(['--dir', FIXTURES], { BENCH_NODE: node });
    expect(code).toBe(1);
    expect(stdout).toContain(`fixture ran under ${version}`);
    expect(stdout).toContain(`=== summary (reported, not gated): Node ${version} (${node})`);

    const rows = summaryRows(stdout);
    const byRow = Object.fromEntries(rows.map((row) => [row.row, row]));
    expect(byRow['ratio met on the median']).toEqual({
      bench: 'fixture judged',
      row: 'ratio met on the median',
      'median [p10–p90]': '0.960x [0.592–0.968]',
      'CPU µs/req (subject / baseline)': '40.0 / 38.0',
      target: '>= 0.95x',
      met: 'met',
      runtime: version,
    });
    expect(byRow['extra missed on the median']).toMatchObject({
      'median [p10–p90]': '31.5 µs/call [22.3–78.3]',
      'CPU µs/req (subject / baseline)': '640 / 609',
      target: '<= 25 µs/call',
      met: 'MISSED',
    });
    expect(byRow['judged on another Node only']).toMatchObject({
      'CPU µs/req (subject / baseline)': '5.00 / —',
      met: 'not judged',
    });
    expect(byRow['judged on another Node only'].target).toMatch(/^>= 0\.95x on Node \d+$/);
    expect(rows.find((row) => row.bench === 'crashes.bench.mjs')?.row).toBe('CRASHED: exit code 3');
    expect(rows.find((row) => row.bench === 'malformed.bench.mjs')?.row).toMatch(/^CRASHED: malformed BENCH_RESULT line/);
  });

  it('exits 0 when the selected benches finish, whatever their targets', () => {
    const { code, stdout } = runHarness(['--dir', FIXTURES, 'judged']);
    expect(code).toBe(0);
    expect(stdout).toContain(`=== summary (reported, not gated): Node ${process.version} (${process.execPath})`);
    expect(summaryRows(stdout).map((row) => row.met)).toEqual(['met', 'MISSED', 'not judged']);
  });

  it('refuses a Node it cannot find, with exit code 2', () => {
    const unknownMajor = runHarness(['--node', '19', '--dir', FIXTURES]);
    expect(unknownMajor.code).toBe(2);
    expect(unknownMajor.stderr).toContain('no cached Node 19');
    const missingPath = runHarness(['--dir', FIXTURES], { BENCH_NODE: join(FIXTURES, 'no-such-node') });
    expect(missingPath.code).toBe(2);
    expect(missingPath.stderr).toContain('no such file');
  });
});
