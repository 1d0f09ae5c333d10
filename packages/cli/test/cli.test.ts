/**
 * The real `knoxcall` bin against the emulator: login (device and browser; the test plays the
 * browser by following the printed authorize URL), whoami, logout, ai exchange, exit codes and
 * help. A zero-option client then uses the credentials file the CLI wrote.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KnoxCall } from '@knoxcall/core';
import { type Emulator, startEmulator } from '@knoxcall/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildCli, runBin } from './run-bin.js';

let emu: Emulator;
let dir: string;
let file: string;
let env: Record<string, string>;
beforeAll(async () => {
  buildCli();
  emu = await startEmulator({ deviceIntervalSeconds: 1 });
}, 60_000);
afterAll(() => emu.close());
beforeEach(() => {
  emu.reset();
  emu.clearRequests();
  dir = mkdtempSync(join(tmpdir(), 'knoxcall-cli-'));
  file = join(dir, '.knoxcall', 'credentials.json');
  env = { HOME: dir, KNOXCALL_CREDENTIALS_FILE: file, GCE_METADATA_HOST: process.env.GCE_METADATA_HOST! };
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

const approveWhenPrinted = (text: string) => {
  const code = /enter the code: ([A-Z]{4}-[A-Z]{4})/.exec(text)?.[1];
  if (code) {
    try {
      emu.approveDevice(code);
    } catch {
      // already approved on an earlier chunk
    }
  }
};

async function deviceLogin(extra: string[] = []) {
  return runBin(['login', '--device', '--base-url', emu.url, ...extra], env, approveWhenPrinted);
}

describe('knoxcall login', () => {
  it('--device: prints the URI and user code (never tokens), writes a 0600 file a zero-option client uses', async () => {
    const result = await deviceLogin();
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/visit http:\/\/127\.0\.0\.1:\d+\/device and enter the code: [A-Z]{4}-[A-Z]{4}/);
    expect(result.stderr).toContain('tenant acme');
    const record = JSON.parse(readFileSync(file, 'utf8')).profiles.default;
    expect(record).toMatchObject({ tenant: 'acme', base_url: emu.url, client_id: emu.cliClientId });
    for (const output of [result.stdout, result.stderr]) {
      expect(output).not.toContain(record.access_token);
      expect(output).not.toContain(record.refresh_token);
    }
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, '.knoxcall')).mode & 0o777).toBe(0o700);

    vi.stubEnv('KNOXCALL_CREDENTIALS_FILE', file);
    for (const name of ['KNOXCALL_BASE_URL', 'KNOXCALL_ACCESS_TOKEN', 'KNOXCALL_API_KEY', 'KNOXCALL_PROFILE', 'KNOXCALL_TENANT']) vi.stubEnv(name, '');
    const client = new KnoxCall();
    expect((await client.account.get()).slug).toBe('acme');
    expect(client.baseUrl).toBe(emu.url);
  });

  it('the browser flow: the test plays the browser by following the printed authorize URL', async () => {
    let followed = false;
    const result = await runBin(
      ['login', '--base-url', emu.url, '--tenant', 'acme', '--profile', 'work'],
      { ...env, DISPLAY: ':99', BROWSER: 'none' },
      (text) => {
        const url = /(http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?\S+)/.exec(text)?.[1];
        if (url && !followed) {
          followed = true;
          void fetch(url).then((r) => r.text());
        }
      },
    );
    expect(result.code).toBe(0);
    const authorize = emu.requests().find((r) => r.path === '/oauth/authorize')!;
    expect(authorize.query).toMatchObject({ client_id: 'knoxcall-cli', response_type: 'code', code_challenge_method: 'S256', tenant: 'acme' });
    expect(authorize.query.redirect_uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')).profiles)).toEqual(['work']);
  });

  it('a denied device login → exit 1 with "error: sign-in was denied" and no file', async () => {
    const result = await runBin(['login', '--no-browser', '--base-url', emu.url], env, (text) => {
      const code = /enter the code: ([A-Z]{4}-[A-Z]{4})/.exec(text)?.[1];
      if (code) {
        try {
          emu.approveDevice(code, false);
        } catch {
          // already decided
        }
      }
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: sign-in was denied');
    expect(existsSync(file)).toBe(false);
  });
});

describe('knoxcall whoami and logout', () => {
  it('whoami prints account, slug, plan, profile and file; logout revokes and removes; then nothing to do', async () => {
    expect((await deviceLogin(['--profile', 'work'])).code).toBe(0);
    const whoami = await runBin(['whoami', '--profile', 'work'], env);
    expect(whoami.code).toBe(0);
    expect(whoami.stdout).toMatch(/Account: \S+/);
    expect(whoami.stdout).toContain('Slug:    acme');
    expect(whoami.stdout).toMatch(/Plan: {4}\S+/);
    expect(whoami.stdout).toContain('Profile: work');
    expect(whoami.stdout).toContain(`File:    ${file}`);

    const refreshToken = JSON.parse(readFileSync(file, 'utf8')).profiles.work.refresh_token;
    emu.clearRequests();
    const out = await runBin(['logout', '--profile', 'work'], env);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('revoked');
    const revoke = emu.requests().find((r) => r.path === '/oauth/revoke')!;
    expect(new URLSearchParams(revoke.body).get('token')).toBe(refreshToken);
    expect(new URLSearchParams(revoke.body).get('client_id')).toBe(emu.cliClientId);
    expect(existsSync(file)).toBe(false);

    const again = await runBin(['logout', '--profile', 'work'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing to do');
  });

  it('whoami without a profile → exit 1, "not logged in … run `knoxcall login`"', async () => {
    const result = await runBin(['whoami'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: not logged in .*knoxcall login/);
  });

  it('a corrupt credentials file → exit 1 with an error naming the file and `knoxcall login`', async () => {
    mkdirSync(join(dir, '.knoxcall'), { recursive: true });
    writeFileSync(file, 'not json {');
    chmodSync(file, 0o600);
    for (const args of [['whoami'], ['logout'], ['login', '--device', '--base-url', emu.url]]) {
      const result = await runBin(args, env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(file);
      expect(result.stderr).toContain('knoxcall login');
      expect(result.stderr).not.toMatch(/at .*\.js:\d+/); // a message, not a stack trace
    }
    expect(readFileSync(file, 'utf8')).toBe('not json {');
  });
});

describe('knoxcall ai exchange', () => {
  it('exchanges KNOXCALL_SUBJECT_TOKEN at the data plane and prints only the access token', async () => {
    const subject = emu.mintSubjectToken({ platform: 'github-actions', audience: 'knoxcall:gateway' });
    const result = await runBin(['ai', 'exchange', '--base-url', emu.url], { ...env, KNOXCALL_SUBJECT_TOKEN: ` ${subject}\n` });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^kcg_\S+\n$/);
    const post = emu.requests().find((r) => r.path === '/v1/oauth/token')!;
    expect(JSON.parse(post.body)).toMatchObject({ subject_token: subject, audience: 'knoxcall:gateway' });
    expect(result.stderr).not.toContain(subject);
  });

  it('a refused (replayed) subject token → exit 1 and the server reason, without the token', async () => {
    const subject = emu.mintSubjectToken({ audience: 'knoxcall:gateway' });
    await runBin(['ai', 'exchange', '--base-url', emu.url], { ...env, KNOXCALL_SUBJECT_TOKEN: subject });
    const replay = await runBin(['ai', 'exchange', '--base-url', emu.url], { ...env, KNOXCALL_SUBJECT_TOKEN: subject });
    expect(replay.code).toBe(1);
    expect(replay.stderr).toBe('error: subject_token has already been exchanged\n');
  });

  it('usage errors exit 2: no KNOXCALL_SUBJECT_TOKEN, no --tenant/--base-url, a token passed as an argument', async () => {
    const missing = await runBin(['ai', 'exchange', '--tenant', 'acme'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error: KNOXCALL_SUBJECT_TOKEN is not set');
    const noTarget = await runBin(['ai', 'exchange'], { ...env, KNOXCALL_SUBJECT_TOKEN: 'x' });
    expect(noTarget.code).toBe(2);
    expect(noTarget.stderr).toContain('pass --tenant or --base-url');
    const argv = await runBin(['ai', 'exchange', '--base-url', emu.url, '--subject-token', 'eyJ.secret.sig'], env);
    expect(argv.code).toBe(2);
    expect(emu.requests().filter((r) => r.path === '/v1/oauth/token')).toHaveLength(0);
  });
});

describe('Ctrl-C', () => {
  it('interrupting a login prints "aborted" and exits 1, writing nothing', async () => {
    let interrupted = false;
    const result = await runBin(['login', '--device', '--base-url', emu.url], env, (text, child) => {
      if (!interrupted && text.includes('enter the code')) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/aborted\n$/);
    expect(existsSync(file)).toBe(false);
  });
});

describe('help and usage', () => {
  it('--help works for every command (stdout, exit 0)', async () => {
    for (const args of [['--help'], ['login', '--help'], ['logout', '-h'], ['whoami', '--help'], ['ai', '--help'], ['ai', 'exchange', '--help']]) {
      const result = await runBin(args, env);
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stdout).toMatch(/^Usage: knoxcall/);
    }
    const login = await runBin(['login', '--help'], env);
    for (const flag of ['--tenant', '--base-url', '--sandbox', '--profile', '--device', '--no-browser']) expect(login.stdout).toContain(flag);
  });

  it('unknown commands and options, stray arguments and no command exit 2 with "error: …" and the usage', async () => {
    for (const args of [[], ['frobnicate'], ['login', '--frobnicate'], ['whoami', 'extra'], ['ai'], ['ai', 'mint']]) {
      const result = await runBin(args, env);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^error: .+\n\nUsage: knoxcall/);
    }
  });
});
