/**
 * Runs the real `knoxcall` bin in a child process, built first with tsup exactly as `pnpm build`
 * builds it. The child gets a clean environment: no ambient KnoxCall or CI variables, a private
 * credentials file, and the test setup's closed loopback GCP metadata host.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(packageRoot, 'bin', 'knoxcall.mjs');

export function buildCli(): void {
  const tsupPackage = createRequire(import.meta.url).resolve('tsup/package.json');
  const result = spawnSync(process.execPath, [join(dirname(tsupPackage), 'dist', 'cli-default.js')], { cwd: packageRoot, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`building the CLI failed: ${result.stderr}`);
}

const AMBIENT = /^(KNOXCALL_|CI$|ACTIONS_ID_TOKEN_|AWS_WEB_IDENTITY|IDENTITY_|VERCEL_OIDC|CIRCLE_OIDC|BUILDKITE_OIDC|DISPLAY$|WAYLAND_DISPLAY$|BROWSER$)/;

export function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !AMBIENT.test(name)) env[name] = value;
  return { ...env, NO_COLOR: '1', ...extra };
}

export interface BinResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `knoxcall …args`; `onStderr` sees stderr as it arrives (to play the browser or approve a device). */
export function runBin(args: string[], env: Record<string, string>, onStderr?: (text: string, child: ChildProcess) => void): Promise<BinResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
