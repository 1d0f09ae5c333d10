// The benchmark harness behind `pnpm bench` (which builds every package first).
//
//   node bench/run.mjs                 every bench/**/*.bench.mjs, one after another
//   node bench/run.mjs express core    only files whose path (relative to bench/) contains
//                                      one of the words, case-insensitive
//
// Each benchmark runs as its own `node` child process, sequentially, so they never compete
// for the (often small, often loaded) machine and a crash in one cannot take the others down.
// A benchmark may drive other runtimes from there: hono-webhook-runtimes.bench.mjs serves a
// bundled module on Bun, Deno and workerd from .cache/runtimes (scripts/runtimes.mjs fetches
// them) and prints one line per runtime.
// Its output is streamed through as it comes. At the end a summary prints one line per
// benchmark.
//
// The BENCH_RESULT convention (optional for a benchmark):
//   a benchmark may print, on stdout, one line that starts with `BENCH_RESULT ` followed by
//   a JSON object, usually as its last line:
//
//     BENCH_RESULT {"name":"core call","results":[
//       {"label":"call() / raw fetch","value":1.04,"unit":"x","target":"<= 1.15","met":true}]}
//
//   `name` is optional (the file name is used otherwise). Each result needs `label` and
//   `value` (a number); `unit`, `target` (free text such as "<= 1.15" or ">= 0.95x") and
//   `met` (boolean, or omitted when there is no target) are optional. If several such lines
//   are printed their results are concatenated. A benchmark without the line is fine: the
//   summary then shows its last line of output instead.
//
// Nothing is gated on speed: the exit code is 0 unless a benchmark crashed (a non-zero exit,
// a signal, a malformed BENCH_RESULT line, or running longer than BENCH_TIMEOUT_MS, default
// 15 minutes).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const RESULT_PREFIX = 'BENCH_RESULT ';
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 15 * 60_000);

/** Every `*.bench.mjs` under `dir`, depth first, in a stable (sorted) order. */
function findBenchmarks(dir) {
  const found = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findBenchmarks(full));
    else if (entry.isFile() && entry.name.endsWith('.bench.mjs')) found.push(full);
  }
  return found;
}

/** Parses one BENCH_RESULT payload; returns an error message instead of throwing. */
function parseResultLine(json) {
  let parsed;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    return { error: `malformed BENCH_RESULT line (${error.message})` };
  }
  const results = parsed?.results;
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray(results)) {
    return { error: 'malformed BENCH_RESULT line: expected {"results": [...]}' };
  }
  for (const result of results) {
    if (typeof result?.label !== 'string' || typeof result.value !== 'number') {
      return { error: 'malformed BENCH_RESULT line: every result needs a string label and a numeric value' };
    }
  }
  return { name: typeof parsed.name === 'string' ? parsed.name : undefined, results };
}

/** Runs one benchmark file, streaming its output; resolves to what the summary needs. */
function runBenchmark(file) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [file], {
      cwd: BENCH_DIR,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, KNOXCALL_BENCH_HARNESS: '1' },
    });
    const outcome = { file, name: undefined, results: [], problems: [], lastLine: '', code: null, signal: null };
    let pending = '';
    const onLine = (line) => {
      if (line.startsWith(RESULT_PREFIX)) {
        const parsed = parseResultLine(line.slice(RESULT_PREFIX.length));
        if (parsed.error) outcome.problems.push(parsed.error);
        else {
          outcome.name ??= parsed.name;
          outcome.results.push(...parsed.results);
        }
      } else if (line.trim() !== '') {
        outcome.lastLine = line.trim();
      }
    };
    // Decoded as a stream, so a multi-byte character split across chunks (µ, ×) stays whole.
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) onLine(line);
    });
    const timer = setTimeout(() => {
      outcome.problems.push(`timed out after ${Math.round(TIMEOUT_MS / 1000)} s (BENCH_TIMEOUT_MS)`);
      child.kill('SIGKILL');
    }, TIMEOUT_MS);
    child.on('error', (error) => outcome.problems.push(`could not start: ${error.message}`));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (pending !== '') onLine(pending);
      outcome.code = code;
      outcome.signal = signal;
      outcome.seconds = (performance.now() - started) / 1000;
      resolve(outcome);
    });
  });
}

function formatResult(result) {
  const digits = Math.abs(result.value) >= 100 ? 0 : Math.abs(result.value) >= 10 ? 1 : 3;
  let text = `${result.label} ${result.value.toFixed(digits)}${result.unit ?? ''}`;
  if (result.target !== undefined) text += ` (target ${result.target}${result.met === undefined ? '' : result.met ? ', met' : ', MISSED'})`;
  return text;
}

function crashed(outcome) {
  return outcome.code !== 0 || outcome.signal !== null || outcome.problems.length > 0;
}

// `pnpm bench -- core` passes the `--` through; it is not a filter word.
const filters = process.argv
  .slice(2)
  .filter((word) => word !== '--')
  .map((word) => word.toLowerCase());
const all = findBenchmarks(BENCH_DIR);
const selected = all.filter((file) => {
  const relative = path.relative(BENCH_DIR, file).toLowerCase();
  return filters.length === 0 || filters.some((word) => relative.includes(word));
});

if (selected.length === 0) {
  console.log(`no benchmark matches ${filters.join(', ')}; available:`);
  for (const file of all) console.log(`  ${path.relative(BENCH_DIR, file)}`);
  process.exit(0);
}

console.log(`Node ${process.version}, ${selected.length} benchmark(s): ${selected.map((f) => path.relative(BENCH_DIR, f)).join(', ')}\n`);
const outcomes = [];
for (const file of selected) {
  console.log(`=== ${path.relative(BENCH_DIR, file)} ===`);
  outcomes.push(await runBenchmark(file));
  console.log('');
}

console.log('=== summary (reported, not gated) ===');
for (const outcome of outcomes) {
  const label = outcome.name ?? path.relative(BENCH_DIR, outcome.file);
  const time = `${outcome.seconds.toFixed(0)} s`;
  if (crashed(outcome)) {
    const why = [
      ...outcome.problems,
      ...(outcome.signal ? [`killed by ${outcome.signal}`] : outcome.code !== 0 ? [`exit code ${outcome.code}`] : []),
    ];
    console.log(`CRASHED  ${label} (${time}): ${why.join('; ')}`);
  } else if (outcome.results.length > 0) {
    const missed = outcome.results.some((result) => result.met === false);
    console.log(`${missed ? 'MISSED ' : 'ok     '}  ${label} (${time}): ${outcome.results.map(formatResult).join('; ')}`);
  } else {
    console.log(`ok       ${label} (${time}): ${outcome.lastLine || '(no output)'}`);
  }
}
process.exitCode = outcomes.some(crashed) ? 1 : 0;
