/**
 * Node only. Writes a file so that readers see either the old or the new content, never
 * a torn one: parent directory created 0700, a temporary sibling written with mode 0600,
 * flushed to disk, then renamed over the target. The temporary file never outlives a failure.
 */
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { nodeFs } from './node-fs.js';

export async function writeFileAtomic(path: string, content: string, tempName: (base: string) => string): Promise<void> {
  const { chmod, mkdir, open, rename, unlink } = await nodeFs();
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, tempName(basename(path)));
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(temp, 'wx', 0o600);
    await handle.writeFile(content, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    // The umask may have narrowed the mode further, never widened it; this is best effort.
    await chmod(temp, 0o600).catch(() => {});
    await rename(temp, path);
  } catch (error) {
    await handle?.close().catch(() => {});
    await unlink(temp).catch(() => {});
    throw error;
  }
}

export const randomHex = (bytes: number): string => randomBytes(bytes).toString('hex');
