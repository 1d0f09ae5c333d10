/**
 * Node only. The credentials-file lock shared with every official SDK (contract auth §7.3):
 * an exclusively created sibling `<path>.lock` holding an owner tag, a stale lock broken
 * at most once per acquisition (rename has one winner), and a release that never deletes
 * a peer's lock.
 */
import { dirname } from 'node:path';
import { KnoxCallError } from '../errors.js';
import { randomHex } from './atomic-file-write.js';
import { nodeFs } from './node-fs.js';

export interface CredentialsLockOptions {
  /** Give up after this long; default 10 000 ms. */
  timeoutMs?: number;
  /** A lock older than this (by mtime) is stale; default 60 000 ms (> the 30 s refresh timeout). */
  staleMs?: number;
  /** Poll interval; default 100 ms. */
  retryMs?: number;
}

export interface HeldCredentialsLock {
  readonly lockPath: string;
  readonly ownerTag: string;
  release(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const code = (error: unknown): string | undefined => (error as { code?: string } | undefined)?.code;

export async function acquireCredentialsLock(path: string, options: CredentialsLockOptions = {}): Promise<HeldCredentialsLock> {
  const { mkdir, rename, unlink, writeFile } = await nodeFs();
  const timeoutMs = options.timeoutMs ?? 10_000;
  const staleMs = options.staleMs ?? 60_000;
  const retryMs = options.retryMs ?? 100;
  const lockPath = `${path}.lock`;
  // First login: the directory may not exist yet.
  await mkdir(dirname(lockPath), { recursive: true, mode: 0o700 });
  const ownerTag = `${process.pid} ${(Date.now() / 1000).toFixed(3)} ${randomHex(8)}\n`;
  const started = Date.now();
  let brokeStale = false;
  for (;;) {
    try {
      await writeFile(lockPath, ownerTag, { flag: 'wx', mode: 0o600 });
      return { lockPath, ownerTag, release: () => releaseCredentialsLock(lockPath, ownerTag) };
    } catch (error) {
      if (code(error) !== 'EEXIST') throw error;
    }
    if (!brokeStale && (await isStale(lockPath, staleMs))) {
      brokeStale = true;
      const aside = `${lockPath}.stale-${process.pid}-${randomHex(6)}`;
      try {
        await rename(lockPath, aside);
        await unlink(aside).catch(() => {});
      } catch {
        // Another process won the rename: it breaks the lock, we keep competing.
      }
      continue;
    }
    if (Date.now() - started >= timeoutMs) {
      throw new KnoxCallError(`timed out waiting for the credentials file lock (${lockPath})`);
    }
    await sleep(retryMs);
  }
}

async function isStale(lockPath: string, staleMs: number): Promise<boolean> {
  try {
    const { stat } = await nodeFs();
    const { mtimeMs } = await stat(lockPath);
    return Date.now() - mtimeMs > staleMs;
  } catch {
    return false; // vanished: the next create attempt will tell
  }
}

/** Deletes the lock only while it still holds our owner tag. */
export async function releaseCredentialsLock(lockPath: string, ownerTag: string): Promise<void> {
  try {
    const { readFile, unlink } = await nodeFs();
    if ((await readFile(lockPath, 'utf8')) === ownerTag) await unlink(lockPath);
  } catch {
    // already gone
  }
}
