// The benchmark harness behind `pnpm bench` (which builds every package first).
//
//   node bench/run.mjs                 every bench/**/*.bench.mjs, one after another
//   node bench/run.mjs express core    only files whose path (relative to bench/) contains
//                                      one of the words, case-insensitive
//   node bench/run.mjs --node 24       under the Node 24 of the runtime cache (20, 22, 24;
//                                      fetched by scripts/runtimes.mjs into .cache/runtimes
//                                      if missing); --node <path> for any node binary;
//                                      BENCH_NODE=<24|path> does the same
//   node bench/run.mjs --dir <folder>  the *.bench.mjs files of another folder (the harness's
//                                      own test runs a fixture folder)
//
// Each benchmark runs as its own child process of that node, sequentially, so they never
// compete for the (often small, often loaded) machine and a crash in one cannot take the
// others down; a benchmark's own children (fork, process.execPath) run under the same node.
// A benchmark may drive other runtimes from there: hono-webhook-runtimes.bench.mjs serves a
// bundled module on Bun, Deno and workerd from .cache/runtimes (scripts/runtimes.mjs fetches
// them) and prints one line per runtime.
// Its output is streamed through as it comes. At the end a summary table prints one line per
// result row (lib/harness/summary-table.mjs), headed by the Node version that ran them.
//
// The BENCH_RESULT convention (optional for a benchmark):
//   a benchmark may print, on stdout, one line that starts with `BENCH_RESULT ` followed by
//   a JSON object, usually as its last line; lib/bench-result.mjs builds its rows:
//
//     BENCH_RESULT {"name":"core call() vs raw fetch","results":[{"label":"client CPU extra",
//       "value":31.2,"unit":" µs/call","spread":{"p10":24.9,"p90":40.3},
//       "cpuMicros":{"subject":640.1,"baseline":608.9},"target":"<= 25 µs/call","met":false}]}
//
//   `name` is optional (the file name is used otherwise). Each result needs `label` and
//   `value` (a number: the median over rounds); `unit`, `spread` ({p10, p90} over rounds),
//   `cpuMicros` ({subject, baseline}: CPU µs per request, either may be null), `target`
//   (free text), `met` (boolean, judged on the median; omitted when there is no target or it
//   is not judged on this Node) and `runtime` (when measured in another runtime than the
//   harness's Node) are optional. If several such lines are printed their results are
//   concatenated, each keeping its line's name. A benchmark without the line is fine: the
//   summary then shows its last line of output instead.
//
// Nothing is gated on speed: the exit code is 0 unless a benchmark crashed (a non-zero exit,
// a signal, a malformed BENCH_RESULT line, or running longer than BENCH_TIMEOUT_MS, default
// 15 minutes); 2 when the command line itself is wrong (an unknown --node, say).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveNode } from './lib/harness/node-binary.mjs';
import { summaryTable } from './lib/harness/summary-table.mjs';

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
    if (result.spread !== undefined && (typeof result.spread?.p10 !== 'number' || typeof result.spread?.p90 !== 'number')) {
      return { error: `malformed BENCH_RESULT line: ${result.label}: spread must be {p10, p90} numbers` };
    }
    const cpu = result.cpuMicros;
    if (cpu !== undefined && (typeof cpu !== 'object' || cpu === null || ![cpu.subject, cpu.baseline].every((us) => us === null || typeof us === 'number'))) {
      return { error: `malformed BENCH_RESULT line: ${result.label}: cpuMicros must be {subject, baseline}, numbers or null` };
    }
  }
  return { name: typeof parsed.name === 'string' ? parsed.name : undefined, results };
}

/** Runs one benchmark file under `node`, streaming its output; resolves to what the summary needs. */
function runBenchmark(file, node, cwd) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(node, [file], {
      cwd,
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
          outcome.results.push(...parsed.results.map((result) => ({ bench: parsed.name, ...result })));
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

function crashed(outcome) {
  return outcome.code !== 0 || outcome.signal !== null || outcome.problems.length > 0;
}

/** The command line: `--node <spec>`, `--dir <folder>`, filter words (`pnpm bench -- core` passes the `--` through). */
function parseArguments(argv) {
  const options = { node: process.env.BENCH_NODE, dir: BENCH_DIR, filters: [] };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    const [flag, inline] =
      word.startsWith('--') && word.includes('=') ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)] : [word, undefined];
    if (flag === '--node' || flag === '--dir') {
      const value = inline ?? argv[++i];
      if (value === undefined || value === '') throw new Error(`${flag} needs a value`);
      if (flag === '--node') options.node = value;
      else options.dir = path.resolve(value);
    } else if (word.startsWith('--') && word !== '--') {
      throw new Error(`unknown option ${word} (known: --node, --dir)`);
    } else if (word !== '--') {
      options.filters.push(word.toLowerCase());
    }
  }
  return options;
}

let options;
let node;
try {
  options = parseArguments(process.argv.slice(2));
  node = resolveNode(options.node);
} catch (error) {
  console.error(`bench/run.mjs: ${error.message}`);
  process.exit(2);
}
const all = findBenchmarks(options.dir);
const selected = all.filter((file) => {
  const relative = path.relative(options.dir, file).toLowerCase();
  return options.filters.length === 0 || options.filters.some((word) => relative.includes(word));
});

if (selected.length === 0) {
  console.log(`no benchmark matches ${options.filters.join(', ')}; available:`);
  for (const file of all) console.log(`  ${path.relative(options.dir, file)}`);
  process.exit(0);
}

const nodeLine = `Node ${node.version} (${node.path})`;
console.log(`${nodeLine}, ${selected.length} benchmark(s): ${selected.map((f) => path.relative(options.dir, f)).join(', ')}\n`);
const outcomes = [];
for (const file of selected) {
  console.log(`=== ${path.relative(options.dir, file)} ===`);
  const outcome = await runBenchmark(file, node.path, options.dir);
  outcomes.push(outcome);
  console.log(`--- ${path.relative(options.dir, file)}: ${outcome.seconds.toFixed(0)} s\n`);
}

console.log(`=== summary (reported, not gated): ${nodeLine} ===`);
const rows = outcomes.map((outcome) => {
  const why = [...outcome.problems, ...(outcome.signal ? [`killed by ${outcome.signal}`] : outcome.code !== 0 ? [`exit code ${outcome.code}`] : [])];
  return {
    label: outcome.name ?? path.relative(options.dir, outcome.file),
    crashed: crashed(outcome),
    why: why.join('; '),
    results: outcome.results,
    lastLine: outcome.lastLine,
  };
});
for (const line of summaryTable(rows, node.version)) console.log(line);
process.exitCode = outcomes.some(crashed) ? 1 : 0;
