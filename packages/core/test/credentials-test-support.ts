/** Temporary credentials files for the credentials-file tests. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export function tempHome(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'knoxcall-creds-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function writeCredentials(path: string, document: unknown, mode = 0o600): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, typeof document === 'string' ? document : `${JSON.stringify(document, null, 2)}\n`);
  await chmod(path, mode);
}

/** `YYYY-MM-DDTHH:MM:SSZ` `seconds` from now. */
export const isoIn = (seconds: number, now = Date.now()): string =>
  new Date(Math.floor((now + seconds * 1000) / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
