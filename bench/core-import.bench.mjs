// Cold start cost of the client: a fresh `node` process that imports @knoxcall/core (ESM
// `import()`, and CJS `require()`) versus a bare `node -e`, each spawned N times in rotating
// order so machine load hits all variants alike; each figure is the median [p10–p90] of the
// per-run differences (one spawn of each variant per run). Target (issue 3): the ESM import
// adds ≤ 30 ms of wall time; the CJS require is held to the same bar. Also reported: the
// extra CPU time of the process (on a loaded machine wall time mostly measures waiting for a
// CPU, so the CPU figure is the better estimate of what an idle machine would see) and the
// duration of the import statement itself, measured inside the process.
//
// Runs against the BUILT @knoxcall/core (resolved from bench/ through the workspace link):
// `pnpm build` first.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchRow, formatFigure, printBenchResult, verdict } from './lib/bench-result.mjs';
import { difference, median, perRound } from './lib/stats.mjs';

const RUNS = Number(process.env.BENCH_SPAWNS ?? 21);
const TARGET_MS = 30;
const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));

// Every child prints {"importMs", "cpuMs"}: the import statement's own duration and the
// process's total CPU time (user + system, all threads) at the end — CPU time is much less
// disturbed by a loaded machine than wall time. `bare` is `node -e` with only that print;
// `bareEsm` is the same under --input-type=module (ESM eval has its own loader cost).
const report = (importMs) =>
  `const u = process.cpuUsage(); process.stdout.write(JSON.stringify({ importMs: ${importMs}, cpuMs: (u.user + u.system) / 1000 }));`;
const variants = {
  bare: ['-e', report('null')],
  bareEsm: ['--input-type=module', '-e', report('null')],
  esm: ['--input-type=module', '-e', `const t = performance.now(); await import('@knoxcall/core'); ${report('performance.now() - t')}`],
  cjs: ['-e', `const t = performance.now(); require('@knoxcall/core'); ${report('performance.now() - t')}`],
};

function spawnOnce(args) {
  const started = performance.now();
  const child = spawnSync(process.execPath, args, { cwd: BENCH_DIR, encoding: 'utf8' });
  const wall = performance.now() - started;
  if (child.status !== 0) throw new Error(`node ${args.join(' ')} failed (${child.status}): ${child.stderr}; did you run pnpm build?`);
  return { wall, ...JSON.parse(child.stdout) };
}

// Warm the OS file cache (and fail fast if the build is missing).
for (const args of Object.values(variants)) spawnOnce(args);

const names = Object.keys(variants);
const wall = Object.fromEntries(names.map((name) => [name, []]));
const cpu = Object.fromEntries(names.map((name) => [name, []]));
const importMs = { esm: [], cjs: [] };
for (let run = 0; run < RUNS; run++) {
  // Rotate the order so no variant always runs right after another.
  const order = names.map((_, i) => names[(i + run) % names.length]);
  for (const name of order) {
    const result = spawnOnce(variants[name]);
    wall[name].push(result.wall);
    cpu[name].push(result.cpuMs);
    if (result.importMs !== null) importMs[name].push(result.importMs);
  }
}

// CPU per cold start, in µs like every other bench's CPU figure: with the import, and bare.
const cpuMicros = (variant) => ({ subject: median(cpu[variant]) * 1000, baseline: median(cpu.bare) * 1000 });
const rows = [
  benchRow({
    label: 'ESM import extra',
    rounds: perRound(wall.esm, wall.bare, difference),
    unit: ' ms',
    cpuMicros: cpuMicros('esm'),
    target: { atMost: TARGET_MS },
  }),
  benchRow({
    label: 'CJS require extra',
    rounds: perRound(wall.cjs, wall.bare, difference),
    unit: ' ms',
    cpuMicros: cpuMicros('cjs'),
    target: { atMost: TARGET_MS },
  }),
  benchRow({ label: 'ESM import extra CPU', rounds: perRound(cpu.esm, cpu.bare, difference), unit: ' ms', cpuMicros: cpuMicros('esm') }),
  benchRow({ label: 'CJS require extra CPU', rounds: perRound(cpu.cjs, cpu.bare, difference), unit: ' ms', cpuMicros: cpuMicros('cjs') }),
  benchRow({ label: 'bare node', rounds: wall.bare, unit: ' ms', cpuMicros: { subject: median(cpu.bare) * 1000, baseline: null } }),
];
const [esmExtra, cjsExtra, esmCpuExtra, cjsCpuExtra] = rows;
console.log(
  `core import: wall medians of ${RUNS} spawns each: node -e ${median(wall.bare).toFixed(1)} ms, node --input-type=module -e ${median(wall.bareEsm).toFixed(1)} ms, ESM import ${median(wall.esm).toFixed(1)} ms, CJS require ${median(wall.cjs).toFixed(1)} ms`,
);
console.log(
  `core import: CPU medians: node -e ${median(cpu.bare).toFixed(1)} ms, --input-type=module ${median(cpu.bareEsm).toFixed(1)} ms, ESM import ${median(cpu.esm).toFixed(1)} ms (extra ${formatFigure(esmCpuExtra)}), CJS require ${median(cpu.cjs).toFixed(1)} ms (extra ${formatFigure(cjsCpuExtra)})`,
);
console.log(
  `core import: the import statement itself (in-process): import() ${median(importMs.esm).toFixed(1)} ms, require() ${median(importMs.cjs).toFixed(1)} ms`,
);
console.log(`core cold import('@knoxcall/core') cost: ${formatFigure(esmExtra)} wall over bare node (target ${esmExtra.target}): ${verdict(esmExtra)}`);
console.log(`core cold require('@knoxcall/core') cost: ${formatFigure(cjsExtra)} wall over bare node (target ${cjsExtra.target}): ${verdict(cjsExtra)}`);
printBenchResult('core cold import', rows);
