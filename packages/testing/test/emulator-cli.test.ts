import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliUsageError, loadSeedFile, parseCliArgs } from '../src/emulator/cli-args.js';
import { startEmulator } from '../src/index.js';
import { mgmt } from './support/http.js';

const dir = mkdtempSync(join(tmpdir(), 'knox-emu-cli-'));
const seedFile = (content: unknown) => {
  const p = join(dir, `seed-${Math.random().toString(16).slice(2)}.json`);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
};

describe('knoxcall-emulator arguments', () => {
  it('parses --port, --seed, --token-ttl and flags (also in --flag=value form)', () => {
    expect(parseCliArgs(['--port', '4010', '--seed=s.json', '--token-ttl', '60', '--require-dpop', '--dpop-nonces'])).toEqual({
      kind: 'run',
      seedPath: 's.json',
      options: { port: 4010, tokenTtlSeconds: 60, requireDpop: true, dpopNonces: true },
    });
    expect(parseCliArgs([])).toEqual({ kind: 'run', options: {} });
    expect(parseCliArgs(['--help'])).toEqual({ kind: 'help' });
  });

  it('refuses bad arguments with a usage error that names the problem', () => {
    expect(() => parseCliArgs(['--port', 'abc'])).toThrow(CliUsageError);
    expect(() => parseCliArgs(['--port'])).toThrow(/needs a value/);
    expect(() => parseCliArgs(['--frobnicate'])).toThrow(/unknown argument "--frobnicate"/);
  });

  it('loads a seed file and starts an emulator with it', async () => {
    const path = seedFile({
      tenant: 'globex',
      oauth_clients: [{ client_id: 'kc_client_fixed', client_secret: 'fixed-secret' }],
      api_keys: [{ key: 'kc_live_fixed' }, { key: 'tk_live_fixed' }],
      secrets: [{ name: 'k', value: 'v' }],
      routes: [{ name: 'r', slug: 'r', target_base_url: 'http://127.0.0.1:9' }],
    });
    const emu = await startEmulator({ seed: loadSeedFile(path) });
    try {
      expect(emu.tenant).toBe('globex');
      expect(emu.credentials).toEqual({ clientId: 'kc_client_fixed', clientSecret: 'fixed-secret', apiKey: 'kc_live_fixed', legacyKey: 'tk_live_fixed' });
      expect((await mgmt(emu, '/v1/routes/r')).body.data.slug).toBe('r');
    } finally {
      await emu.close();
    }
  });

  it('explains unreadable, malformed and mis-shaped seed files', () => {
    expect(() => loadSeedFile(join(dir, 'missing.json'))).toThrow(/cannot read seed file/);
    expect(() => loadSeedFile(seedFile('{nope'))).toThrow(/not valid JSON/);
    expect(() => loadSeedFile(seedFile([]))).toThrow(/must contain a JSON object/);
    expect(() => loadSeedFile(seedFile({ routes: [{ name: 'x' }] }))).toThrow(/routes\[0\] needs "name" and "target_base_url"/);
  });
});

// The bin runs the BUILT cli; this end-to-end check runs when `pnpm build` has produced it.
describe.runIf(existsSync(new URL('../dist/cli.js', import.meta.url)))('knoxcall-emulator process', () => {
  it('prints its URL, serves requests, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [new URL('../bin/knoxcall-emulator.mjs', import.meta.url).pathname, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on('exit', (code) => reject(new Error(`exited early with ${code}`)));
      });
      const r = await fetch(`${url}/nowhere`);
      expect(r.status).toBe(404);
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
