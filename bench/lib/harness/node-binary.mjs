// Which `node` the harness runs the benchmarks under: `--node <path>`, `--node 22` (a major
// version: the binary scripts/runtimes.mjs keeps in .cache/runtimes, fetched into that cache
// if missing, never installed globally), BENCH_NODE with the same values, or by default the
// node running the harness. Its version is asked of the binary itself, so the summary names
// the Node the numbers came from.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fetchRuntimes, runtimes } from '../../../scripts/runtimes.mjs';

/** Resolves `spec` (undefined, a major such as "24", or a path) to `{ path, version }`; throws a readable Error. */
export function resolveNode(spec) {
  const binary = spec === undefined || spec === '' ? process.execPath : locate(spec);
  const asked = spawnSync(binary, ['-p', 'process.version'], { encoding: 'utf8' });
  const version = asked.status === 0 ? asked.stdout.trim() : '';
  if (!/^v\d+\./.test(version)) {
    throw new Error(
      `${binary} did not answer a Node version (exit ${asked.status}${asked.error ? `, ${asked.error.message}` : ''}): ${(asked.stderr ?? '').trim()}`,
    );
  }
  return { path: binary, version };
}

function locate(spec) {
  if (/^\d+$/.test(spec)) {
    const key = `node${spec}`;
    if (!(key in runtimes)) {
      const known = Object.keys(runtimes)
        .filter((name) => name.startsWith('node'))
        .map((name) => name.slice(4));
      throw new Error(`--node ${spec}: no cached Node ${spec}; the runtime cache pins Node ${known.join(', ')} (or give a path to a node binary)`);
    }
    if (!existsSync(runtimes[key])) fetchRuntimes();
    return runtimes[key];
  }
  const binary = path.resolve(spec);
  if (!existsSync(binary)) throw new Error(`--node ${spec}: no such file (${binary})`);
  return binary;
}
