// CI: every public API change since the last release has a changeset bump big enough for it.
// "The last release" is api/released/: the reports as they were when `pnpm release:version`
// last ran (it copies api/*.api.md there after `changeset version` consumes the changesets).
// Each report in api/ is compared with its released copy (scripts/lib/api-diff.mjs says what
// kind of change it is and what bump that needs), and the pending changesets in .changeset/
// must give the package at least that bump.
//
//   node scripts/check-api-bumps.mjs             check (CI)
//   node scripts/check-api-bumps.mjs --release   api/*.api.md become the released baseline
//
// Options for tests: --reports <dir> --released <dir> --changesets <dir>
//   --version <package>=<version> (instead of the version in packages/*/package.json).
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BUMPS, classifyChange, pendingBumps, requiredBump } from './lib/api-diff.mjs';

const repoRoot = join(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    release: { type: 'boolean', default: false },
    reports: { type: 'string', default: join(repoRoot, 'api') },
    released: { type: 'string', default: join(repoRoot, 'api', 'released') },
    changesets: { type: 'string', default: join(repoRoot, '.changeset') },
    version: { type: 'string', multiple: true, default: [] },
  },
});

const reportNames = (dir) => (existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.api.md')) : []);

if (values.release) {
  rmSync(values.released, { recursive: true, force: true });
  mkdirSync(values.released, { recursive: true });
  for (const name of reportNames(values.reports)) cpSync(join(values.reports, name), join(values.released, name));
  console.log(`api: ${reportNames(values.released).length} reports are the released baseline now`);
  process.exit(0);
}

const versionOverrides = new Map(values.version.map((pair) => pair.split('=')));
function versionOf(packageName) {
  if (versionOverrides.has(packageName)) return versionOverrides.get(packageName);
  const manifest = join(repoRoot, 'packages', packageName.replace(/^@[^/]+\//, ''), 'package.json');
  return JSON.parse(readFileSync(manifest, 'utf8')).version;
}

/** The package a report belongs to, from API Extractor's heading. */
function packageOf(report) {
  const heading = report.match(/^## API Report File for "([^"]+)"/);
  if (!heading) throw new Error('an API report without its "API Report File for" heading');
  return heading[1];
}

const read = (dir, name) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : undefined);
const needs = new Map(); // package -> { bump, reasons }
for (const name of new Set([...reportNames(values.released), ...reportNames(values.reports)])) {
  const released = read(values.released, name);
  const current = read(values.reports, name);
  const change = classifyChange(released, current);
  if (change.kind === 'none') continue;
  const packageName = packageOf(current ?? released);
  const bump = requiredBump(change.kind, versionOf(packageName));
  const need = needs.get(packageName) ?? { bump: 'none', reasons: [] };
  if (BUMPS.indexOf(bump) > BUMPS.indexOf(need.bump)) need.bump = bump;
  need.reasons.push(`${name.replace(/\.api\.md$/, '')}: ${change.kind} (${change.reasons.join(', ')})`);
  needs.set(packageName, need);
}

const changesetTexts = readdirSync(values.changesets)
  .filter((name) => name.endsWith('.md') && name !== 'README.md')
  .map((name) => readFileSync(join(values.changesets, name), 'utf8'));
const pending = pendingBumps(changesetTexts);

let failed = false;
for (const [packageName, need] of needs) {
  const given = pending.get(packageName) ?? 'none';
  if (BUMPS.indexOf(given) >= BUMPS.indexOf(need.bump)) continue;
  failed = true;
  console.error(
    `api: ${packageName}@${versionOf(packageName)} changed its public API since the last release and needs at least a ` +
      `${need.bump} changeset; the pending changesets give it ${given === 'none' ? 'none' : `a ${given}`}.`,
  );
  for (const reason of need.reasons) console.error(`     ${reason}`);
}
if (failed) {
  console.error('api: add or raise a changeset (`pnpm changeset`) for the package — see CONTRIBUTING.md, "Public API".');
  process.exit(1);
}
console.log(`api: changeset bumps cover the API changes since the last release (${needs.size} packages changed)`);
