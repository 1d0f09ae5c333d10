/**
 * Serves one Workers-style module (`export default { fetch(request, env) }`) in a real Bun,
 * Deno, workerd or miniflare process, so tests in the Node test process can drive an app or
 * a client scenario on that runtime over HTTP. The module and everything it imports
 * (relative imports only) live in one folder; `stageCoreWebBuild` copies core's Web build in.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fetchRuntimes, repoRoot } from '../../scripts/runtimes.mjs';

export type RuntimeName = 'bun' | 'deno' | 'workerd' | 'miniflare';
export const RUNTIMES: readonly RuntimeName[] = ['bun', 'deno', 'workerd', 'miniflare'];

/**
 * One date for both workerd builds: the newest miniflare ships a workerd no newer than this,
 * and a compatibility date past the binary's own is refused.
 */
export const COMPATIBILITY_DATE = '2026-07-01';

const hostsDir = join(dirname(fileURLToPath(import.meta.url)), 'hosts');

export interface LaunchedApp {
  readonly runtime: RuntimeName;
  /** Origin the app answers on, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** Everything the process printed so far (for assertion messages). */
  output(): string;
  stop(): Promise<void>;
}

/** A fresh folder for one app's modules; `remove()` deletes it. */
export function stageDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `knoxcall-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Copies core's built Web entry and chunks (dist/web/*.js) to `<dir>/<as>/`. Needs `pnpm build`. */
export function stageCoreWebBuild(dir: string, as = 'core'): void {
  const from = join(repoRoot, 'packages', 'core', 'dist', 'web');
  const to = join(dir, as);
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) if (name.endsWith('.js')) copyFileSync(join(from, name), join(to, name));
}

function listModules(dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.m?js$/.test(entry.name)) out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/** Text bindings of a Worker (`env.NAME`, also `import { env } from 'cloudflare:workers'`). */
export type Bindings = Record<string, string>;

/** workerd has no "print the port" mode: a config with a fixed free port, then wait for it to accept. */
function workerdConfig(dir: string, entry: string, port: number, bindings: Bindings): string {
  const textBindings = Object.entries(bindings)
    .map(([name, text]) => `(name = ${JSON.stringify(name)}, text = ${JSON.stringify(text)})`)
    .join(', ');
  const modules = [entry, ...listModules(dir).filter((m) => m !== entry)]
    .map((m) => `(name = ${JSON.stringify(m)}, esModule = embed ${JSON.stringify(m)})`)
    .join(',\n      ');
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .app),
    # Loopback too: the emulator and the control server run in the test process.
    (name = "net", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const app :Workerd.Worker = (
  modules = [
      ${modules}
  ],
  bindings = [${textBindings}],
  compatibilityDate = "${COMPATIBILITY_DATE}",
  globalOutbound = "net",
);
`;
}

interface Started {
  child: ChildProcess;
  /** Resolves with the origin once the app accepts connections. */
  ready(): Promise<string>;
}

async function start(runtime: RuntimeName, dir: string, entry: string, bindings: Bindings): Promise<Started> {
  const paths = fetchRuntimes({ quiet: true });
  const entryPath = resolve(dir, entry);
  const env = { ...process.env, NO_COLOR: '1' };
  if (runtime === 'workerd') {
    const port = await freePort();
    writeFileSync(join(dir, 'workerd.capnp'), workerdConfig(dir, entry, port, bindings));
    const child = spawn(paths.workerd, ['serve', 'workerd.capnp'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    return {
      child,
      async ready() {
        for (;;) {
          if (child.exitCode !== null) throw new Error('workerd exited before it listened');
          if (await canConnect(port)) return `http://127.0.0.1:${port}`;
          await new Promise((r) => setTimeout(r, 50));
        }
      },
    };
  }
  const command =
    runtime === 'bun'
      ? [paths.bun, [join(hostsDir, 'bun-host.mjs'), entryPath]]
      : runtime === 'deno'
        ? [paths.deno, ['run', '--allow-net', '--allow-read', '--allow-env', join(hostsDir, 'deno-host.mjs'), entryPath]]
        : [paths.node22, [join(hostsDir, 'miniflare-host.mjs'), paths.miniflare, entryPath, COMPATIBILITY_DATE, JSON.stringify(bindings)]];
  const child = spawn(command[0] as string, command[1] as string[], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  return {
    child,
    ready: () =>
      new Promise((resolveUrl, reject) => {
        let buffered = '';
        const onData = (chunk: Buffer) => {
          buffered += chunk.toString();
          const match = /listening (http:\/\/[^\s]+)/.exec(buffered);
          if (match) {
            child.stdout?.off('data', onData);
            resolveUrl(match[1] as string);
          }
        };
        child.stdout?.on('data', onData);
        child.once('exit', (code) => reject(new Error(`${runtime} exited (code ${code}) before it listened`)));
      }),
  };
}

/**
 * Starts `entry` (relative to `dir`) on `runtime`; rejects with the process output if it never
 * listens. `bindings` reach workerd and miniflare only (Bun and Deno have no such thing).
 */
export async function launch(
  runtime: RuntimeName,
  dir: string,
  entry: string,
  options: { bindings?: Bindings; timeoutMs?: number } = {},
): Promise<LaunchedApp> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const { child, ready } = await start(runtime, dir, entry, options.bindings ?? {});
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const url = await Promise.race([
      ready(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${runtime} did not listen within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { runtime, url, output: () => output, stop };
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- ${runtime} output ---\n${output}`);
  } finally {
    clearTimeout(timer);
  }
}
