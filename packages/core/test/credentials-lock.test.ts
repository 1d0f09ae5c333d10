import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireCredentialsLock } from '../src/node/credentials-lock.js';
import { KnoxCallError } from '../src/errors.js';
import { tempHome } from './credentials-test-support.js';

let home: ReturnType<typeof tempHome>;
let path: string;
beforeEach(() => {
  home = tempHome();
  path = join(home.dir, 'credentials.json');
});
afterEach(() => home.cleanup());

const ageFile = (file: string, seconds: number) => {
  const then = new Date(Date.now() - seconds * 1000);
  utimesSync(file, then, then);
};

describe('credentials-file lock (auth §7.3)', () => {
  it('writes an owner tag "<pid> <epoch s.mmm> <16 hex>\\n" and removes it on release', async () => {
    const lock = await acquireCredentialsLock(path);
    const content = readFileSync(`${path}.lock`, 'utf8');
    expect(content).toBe(lock.ownerTag);
    expect(content).toMatch(new RegExp(`^${process.pid} \\d+\\.\\d{3} [0-9a-f]{16}\\n$`));
    await lock.release();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('a 120 s old lock is broken in < 5 s; we hold a fresh lock and release it', async () => {
    writeFileSync(`${path}.lock`, '999999 1.000 deadbeefdeadbeef\n');
    ageFile(`${path}.lock`, 120);
    const started = Date.now();
    const lock = await acquireCredentialsLock(path);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(lock.ownerTag);
    await lock.release();
    expect(readdirSync(home.dir)).toEqual([]);
  });

  for (const [name, age] of [
    ['a 45 s old lock', 45],
    ['a fresh foreign lock', 0],
  ] as const) {
    it(`${name} and a 0.3 s timeout → KnoxCallError, the lock left intact`, async () => {
      writeFileSync(`${path}.lock`, 'peer\n');
      if (age) ageFile(`${path}.lock`, age);
      const started = Date.now();
      const error = await acquireCredentialsLock(path, { timeoutMs: 300 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KnoxCallError);
      expect((error as Error).message).toBe(`timed out waiting for the credentials file lock (${path}.lock)`);
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      expect(readFileSync(`${path}.lock`, 'utf8')).toBe('peer\n');
    });
  }

  it("release leaves a peer's lock alone when ours was replaced", async () => {
    const lock = await acquireCredentialsLock(path);
    writeFileSync(`${path}.lock`, 'peer took over\n');
    await lock.release();
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe('peer took over\n');
  });

  it('a non-existent nested parent directory is created; acquisition takes < 1 s', async () => {
    const nested = join(home.dir, 'x', 'y', 'z', 'credentials.json');
    const started = Date.now();
    const lock = await acquireCredentialsLock(nested);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(existsSync(`${nested}.lock`)).toBe(true);
    await lock.release();
  });

  it('waits for a live holder and acquires right after it releases', async () => {
    const first = await acquireCredentialsLock(path);
    const second = acquireCredentialsLock(path, { timeoutMs: 5_000 });
    setTimeout(() => void first.release(), 150);
    const lock = await second;
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(lock.ownerTag);
    await lock.release();
  });

  it('many concurrent acquirers: mutual exclusion holds', async () => {
    let inside = 0;
    let overlap = false;
    await Promise.all(
      Array.from({ length: 5 }, async () => {
        const lock = await acquireCredentialsLock(path, { retryMs: 10 });
        inside++;
        if (inside > 1) overlap = true;
        await new Promise((r) => setTimeout(r, 20));
        inside--;
        await lock.release();
      }),
    );
    expect(overlap).toBe(false);
  });
});
