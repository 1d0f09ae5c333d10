/**
 * Importing the SDK must not load Node's fetch implementation (undici's bundle: ~100 ms of CPU
 * on a cold process): call() builds its Response from the global `Response` class, which is
 * read on first use only (node/streaming-dispatch.ts). Node 24's own `node:http` loads that
 * bundle, so the check is relative: the SDK loads it no more than `node:http` alone does.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleChild } from './child-process-support.js';
import { nodeBinary } from './node-binary.js';

const outDir = mkdtempSync(join(tmpdir(), 'knox-import-'));
let script: string;
beforeAll(async () => {
  script = await bundleChild('import-leaves-fetch-unloaded-child.ts', outDir);
});
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const LOADED = "String(globalThis[Symbol.for('undici.globalDispatcher.1')] !== undefined)";

describe('importing the SDK', () => {
  it("loads Node's fetch implementation no more than node:http alone does", () => {
    const byNodeHttp = execFileSync(nodeBinary, ['--input-type=module', '-e', `await import('node:http'); process.stdout.write(${LOADED})`], {
      encoding: 'utf8',
    });
    const bySdk = JSON.parse(execFileSync(nodeBinary, [script], { encoding: 'utf8' })) as { loaded: boolean; client: string };
    expect(bySdk.client).toBe('function');
    expect(bySdk.loaded).toBe(byNodeHttp === 'true');
  });

  it('the check sees a load: reading the global Headers loads it', () => {
    const out = execFileSync(nodeBinary, ['--input-type=module', '-e', `void globalThis.Headers; process.stdout.write(${LOADED})`], { encoding: 'utf8' });
    expect(out).toBe('true');
  });
});
