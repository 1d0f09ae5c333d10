import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Emulator, startEmulator } from '@knoxcall/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { stageDir } from '../../../../tools/runtimes/launch.js';
import { fetchRuntimes } from '../../../../scripts/runtimes.mjs';

// Issue 19.5, decided: no `bun` export condition. Bun implements node:crypto, node:fs and
// process, so the Node build (which Bun resolves through the `import` condition) gives Bun
// users everything — the credentials file, FileTokenStore, the synchronous webhook verifier —
// where the Web build would take them away. This proves Bun really resolves the Node build
// of the package as published and that its Node-only parts work there.

let emu: Emulator;
let staged: { dir: string; remove(): void };
beforeAll(async () => {
  emu = await startEmulator();
  staged = stageDir('bun-build');
  // An app folder that depends on @knoxcall/core the way a user's does.
  mkdirSync(join(staged.dir, 'node_modules', '@knoxcall'), { recursive: true });
  symlinkSync(resolve(__dirname, '../..'), join(staged.dir, 'node_modules', '@knoxcall', 'core'), 'dir');
});
afterAll(async () => {
  await emu?.close();
  staged?.remove();
});

it('Bun loads the Node build, and its FileTokenStore and sync verifier work there', async () => {
  const tokenFile = join(staged.dir, 'tokens.json');
  writeFileSync(
    join(staged.dir, 'app.mjs'),
    `import { FileTokenStore, KnoxCall, verifyWebhookSignature } from '@knoxcall/core';
const client = new KnoxCall({
  baseUrl: ${JSON.stringify(emu.url)},
  clientId: ${JSON.stringify(emu.credentials.clientId)},
  clientSecret: ${JSON.stringify(emu.credentials.clientSecret)},
  tokenStore: new FileTokenStore(${JSON.stringify(tokenFile)}),
});
const page = await client.routes.list();
let syncVerifier;
try {
  syncVerifier = verifyWebhookSignature({ payload: '{}', signature: 'sha256=00', secret: 'whsec_x' });
} catch (error) {
  syncVerifier = 'threw: ' + error.message;
}
console.log(JSON.stringify({ resolved: import.meta.resolve('@knoxcall/core'), listed: Array.isArray(page.data), syncVerifier }));
`,
  );
  const { bun } = fetchRuntimes({ quiet: true });
  // Asynchronously: the emulator it calls runs in this process.
  const run = await promisify(execFile)(bun, ['app.mjs'], { cwd: staged.dir, encoding: 'utf8', timeout: 30_000 });
  const result = JSON.parse(run.stdout.trim().split('\n').pop() as string);
  expect(result.resolved).toMatch(/\/packages\/core\/dist\/index\.js$/);
  expect(result.listed).toBe(true);
  // The Node build's verifier answers (false: that signature is wrong); the Web build's throws.
  expect(result.syncVerifier).toBe(false);
  expect(existsSync(tokenFile)).toBe(true);
});
