// The published entry points: every `exports` subpath of every package that is not private,
// except `./package.json`. One owner for the list, so the API reports and the changeset check
// agree on what is public.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/** The ESM declaration file a Node consumer's compiler resolves for one `exports` value. */
function importTypes(target) {
  if (typeof target === 'string') return target.endsWith('.d.ts') ? target : undefined;
  if (!target || typeof target !== 'object') return undefined;
  if (typeof target.types === 'string' && target.types.endsWith('.d.ts')) return target.types;
  for (const condition of ['import', 'node', 'default']) {
    const found = importTypes(target[condition]);
    if (found) return found;
  }
  return undefined;
}

/**
 * @returns {{ packageName: string, packageDir: string, subpath: string, specifier: string,
 *   reportName: string, typesFile: string, version: string }[]}
 */
export function publishedEntryPoints(repoRoot) {
  const entries = [];
  const packagesDir = join(repoRoot, 'packages');
  for (const folder of readdirSync(packagesDir).sort()) {
    const manifestPath = join(packagesDir, folder, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (manifest.private || !manifest.exports) continue;
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      if (subpath === './package.json') continue;
      const types = importTypes(target);
      if (!types) throw new Error(`${manifest.name} exports ${subpath} without ESM declarations`);
      const unscoped = manifest.name.replace(/^@[^/]+\//, '');
      const rest = subpath.replace(/^\.\/?/, '');
      const entry = {
        packageName: manifest.name,
        packageDir: join(packagesDir, folder),
        subpath,
        specifier: rest ? `${manifest.name}/${rest}` : manifest.name,
        reportName: rest ? `${unscoped}.${rest.replaceAll('/', '.')}` : unscoped,
        typesFile: join(packagesDir, folder, types),
        version: manifest.version,
      };
      entries.push(entry);
      // Core's Web build (workerd, worker, edge-light, browser, deno) has declarations of its
      // own and a smaller API (no FileTokenStore, no interactive login): a user there sees it.
      const webTypes = typeof target === 'object' ? importTypes(target.workerd) : undefined;
      if (webTypes && webTypes !== types) {
        entries.push({
          ...entry,
          specifier: `${entry.specifier} (Web build)`,
          reportName: `${entry.reportName}.web`,
          typesFile: join(packagesDir, folder, webTypes),
        });
      }
    }
  }
  return entries;
}
