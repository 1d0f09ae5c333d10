#!/usr/bin/env node
// Packaging rules that publint and attw (`attw --pack`, every resolution mode) do not cover,
// checked on every published package after `pnpm build`:
// - every exports entry resolves, under EVERY condition set we ship for (Node import and
//   require, and the Web build's workerd/worker/edge-light/browser/deno conditions, which
//   attw never tries), to a built file that exists and is published, with types of the
//   matching module kind (.d.ts for ESM, .d.cts for CJS);
// - the five Web conditions of an entry are present together and point at the same files;
// - the `knoxcall-source` condition comes first and points at an existing TypeScript source;
// - every subpath has a typesVersions entry pointing at its require types, so that
//   `moduleResolution: node10` (TypeScript's default for `module: commonjs`, which ignores
//   exports) finds e.g. `@knoxcall/core/adapter` from @knoxcall/express's declarations —
//   attw checks a package's own subpaths, not the imports its declarations make;
// - main/module/types agree with exports['.']; engines.node, sideEffects, LICENSE,
//   CHANGELOG.md and README.md published, bin targets.
// Usage: node scripts/check-packaging.mjs [package-dir …]   (default: packages/*)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WEB_CONDITIONS = ['workerd', 'worker', 'edge-light', 'browser', 'deno'];
const ENGINES_NODE = '>=20.19';

/** Condition sets a consumer resolves with; `kind` is the module kind the target must have. */
const CONDITION_SETS = [
  { name: 'node import', conditions: ['node', 'import'], kind: 'esm' },
  { name: 'node require', conditions: ['node', 'require'], kind: 'cjs' },
  ...WEB_CONDITIONS.flatMap((condition) => [
    { name: `${condition} import`, conditions: [condition, 'import'], kind: 'esm' },
    { name: `${condition} require`, conditions: [condition, 'require'], kind: 'cjs' },
  ]),
];

/** Node's PACKAGE_TARGET_RESOLVE for conditional objects (subpath patterns are not used here). */
function resolveTarget(target, conditions) {
  if (typeof target === 'string' || target === null) return target;
  if (Array.isArray(target)) {
    for (const item of target) {
      const found = resolveTarget(item, conditions);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const [key, value] of Object.entries(target)) {
    if (key === 'default' || conditions.includes(key)) {
      const found = resolveTarget(value, conditions);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function isPublished(pkg, target) {
  const path = target.replace(/^\.\//, '');
  if (path === 'package.json') return true;
  return (pkg.files ?? []).some((entry) => {
    const prefix = entry.replace(/^\.\//, '').replace(/\/$/, '');
    return path === prefix || path.startsWith(`${prefix}/`);
  });
}

function moduleKindOf(pkg, file) {
  if (file.endsWith('.cjs') || file.endsWith('.d.cts')) return 'cjs';
  if (file.endsWith('.mjs') || file.endsWith('.d.mts')) return 'esm';
  return pkg.type === 'module' ? 'esm' : 'cjs';
}

function checkPackage(dir) {
  const problems = [];
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const fail = (message) => problems.push(`${pkg.name}: ${message}`);
  const exists = (target) => existsSync(join(dir, target));

  if (pkg.type !== 'module') fail('"type" must be "module" (dist/*.js are ESM, dist/*.cjs CJS)');
  if (pkg.engines?.node !== ENGINES_NODE) fail(`engines.node must be "${ENGINES_NODE}", is ${JSON.stringify(pkg.engines?.node)}`);
  if (pkg.sideEffects === undefined) fail('"sideEffects" is missing (false, or the list of files imported for their side effects)');
  if (Array.isArray(pkg.sideEffects)) {
    for (const pattern of pkg.sideEffects) {
      const base = pattern.replace(/\*.*$/, '');
      const parent = join(dir, dirname(base));
      const stem = base.slice(base.lastIndexOf('/') + 1);
      if (!existsSync(parent) || !readdirSync(parent).some((name) => name.startsWith(stem))) {
        fail(`sideEffects entry ${pattern} matches no file (build first, or remove it)`);
      }
    }
  }
  for (const file of ['LICENSE', 'CHANGELOG.md', 'README.md']) {
    if (!exists(file)) fail(`${file} is missing`);
    else if (!isPublished(pkg, file)) fail(`${file} is not in "files"`);
  }
  if (pkg.license !== 'Apache-2.0') fail(`license must be Apache-2.0, is ${JSON.stringify(pkg.license)}`);

  const exportsMap = pkg.exports;
  if (typeof exportsMap !== 'object' || exportsMap === null || !('.' in exportsMap)) {
    fail('"exports" must be an object with a "." entry');
    return problems;
  }
  if (!('./package.json' in exportsMap)) fail('exports should include "./package.json" (tools read it)');

  for (const [subpath, entry] of Object.entries(exportsMap)) {
    if (typeof entry === 'string') {
      if (!exists(entry)) fail(`exports["${subpath}"] → ${entry} does not exist`);
      continue;
    }
    const keys = Object.keys(entry);
    if (keys[0] !== 'knoxcall-source') {
      fail(`exports["${subpath}"] must start with the "knoxcall-source" condition (workspace tests resolve to src)`);
    } else if (typeof entry['knoxcall-source'] !== 'string' || !/\.tsx?$/.test(entry['knoxcall-source'])) {
      fail(`exports["${subpath}"]["knoxcall-source"] must point at a .ts source file`);
    } else if (!exists(entry['knoxcall-source'])) {
      fail(`exports["${subpath}"]["knoxcall-source"] → ${entry['knoxcall-source']} does not exist`);
    } else if (!isPublished(pkg, entry['knoxcall-source'])) {
      fail(`exports["${subpath}"]["knoxcall-source"] → ${entry['knoxcall-source']} is not in "files" (publish src, or every export target would dangle)`);
    }

    const web = WEB_CONDITIONS.filter((condition) => condition in entry);
    if (web.length > 0 && web.length < WEB_CONDITIONS.length) {
      fail(`exports["${subpath}"] has Web conditions ${web.join(', ')} but not ${WEB_CONDITIONS.filter((c) => !web.includes(c)).join(', ')}`);
    }
    if (web.length > 0) {
      const first = JSON.stringify(entry[web[0]]);
      for (const condition of web.slice(1)) {
        if (JSON.stringify(entry[condition]) !== first) fail(`exports["${subpath}"]["${condition}"] differs from ["${web[0]}"]`);
      }
      const importIndex = keys.indexOf('import');
      const requireIndex = keys.indexOf('require');
      for (const condition of web) {
        const index = keys.indexOf(condition);
        if ((importIndex !== -1 && index > importIndex) || (requireIndex !== -1 && index > requireIndex)) {
          fail(`exports["${subpath}"]["${condition}"] comes after import/require and can never match`);
        }
      }
    }

    // Without Web conditions a Web bundler resolves exactly what Node does: check once.
    const sets = web.length > 0 ? CONDITION_SETS : CONDITION_SETS.filter((set) => set.conditions[0] === 'node');
    for (const set of sets) {
      const js = resolveTarget(entry, set.conditions);
      const types = resolveTarget(entry, ['types', ...set.conditions]);
      const where = `exports["${subpath}"] (${set.name})`;
      if (typeof js !== 'string') {
        fail(`${where} resolves to nothing`);
        continue;
      }
      if (!exists(js)) fail(`${where} → ${js} does not exist (run pnpm build first?)`);
      else if (!isPublished(pkg, js)) fail(`${where} → ${js} is not in "files"`);
      if (moduleKindOf(pkg, js) !== set.kind) fail(`${where} → ${js} is ${moduleKindOf(pkg, js)}, expected ${set.kind}`);
      if (typeof types !== 'string' || types === js) {
        fail(`${where} has no "types" condition`);
        continue;
      }
      if (!exists(types)) fail(`${where} types → ${types} does not exist`);
      else if (!isPublished(pkg, types)) fail(`${where} types → ${types} is not in "files"`);
      if (moduleKindOf(pkg, types) !== set.kind) {
        fail(`${where} types → ${types} describe ${moduleKindOf(pkg, types)} but the file is ${set.kind} (use .d.cts for require)`);
      }
      const expectedTypes = js.replace(/\.(c|m)?js$/, (_m, c) => `.d.${c ?? ''}ts`);
      if (types !== expectedTypes) fail(`${where} types → ${types}, expected ${expectedTypes} next to ${js}`);
    }
  }

  problems.push(...checkTypesVersions(pkg, exportsMap).map((message) => `${pkg.name}: ${message}`));

  const root = exportsMap['.'];
  const expectRoot = (field, conditions) => {
    const expected = resolveTarget(root, conditions);
    if (pkg[field] !== expected) fail(`"${field}" is ${JSON.stringify(pkg[field])}, exports["."] gives ${JSON.stringify(expected)}`);
  };
  expectRoot('main', ['node', 'require']);
  expectRoot('module', ['node', 'import']);
  expectRoot('types', ['types', 'node', 'require']);

  for (const [name, target] of Object.entries(typeof pkg.bin === 'string' ? { [pkg.name]: pkg.bin } : (pkg.bin ?? {}))) {
    if (!exists(target)) fail(`bin ${name} → ${target} does not exist`);
    else {
      if (!isPublished(pkg, target)) fail(`bin ${name} → ${target} is not in "files"`);
      if (!readFileSync(join(dir, target), 'utf8').startsWith('#!')) fail(`bin ${name} → ${target} has no #! line`);
    }
  }
  return problems;
}

/**
 * node10 ignores exports: a subpath `@scope/pkg/sub` is found only through
 * typesVersions["*"]["sub"], which must name the same declarations a `require` gets.
 */
function checkTypesVersions(pkg, exportsMap) {
  const problems = [];
  const subpaths = Object.entries(exportsMap).filter(([subpath, entry]) => subpath !== '.' && typeof entry === 'object');
  const mapping = pkg.typesVersions?.['*'] ?? {};
  const extra = Object.keys(pkg.typesVersions ?? {}).filter((range) => range !== '*');
  if (extra.length > 0) problems.push(`typesVersions has ranges ${extra.join(', ')}; only "*" is expected`);
  for (const [subpath, entry] of subpaths) {
    const name = subpath.slice(2);
    const expected = resolveTarget(entry, ['types', 'node', 'require']);
    const actual = mapping[name];
    if (actual === undefined) {
      problems.push(`typesVersions["*"]["${name}"] is missing: under moduleResolution node10 "${pkg.name}/${name}" has no types (expected ["${expected}"])`);
    } else if (!Array.isArray(actual) || actual.length !== 1 || actual[0] !== expected) {
      problems.push(`typesVersions["*"]["${name}"] is ${JSON.stringify(actual)}, expected ["${expected}"] (the require types of exports["${subpath}"])`);
    }
  }
  for (const name of Object.keys(mapping)) {
    if (!subpaths.some(([subpath]) => subpath === `./${name}`)) {
      problems.push(`typesVersions["*"]["${name}"] maps a path that exports does not have (remove it, or add exports["./${name}"])`);
    }
  }
  return problems;
}

const dirs =
  process.argv.length > 2
    ? process.argv.slice(2).map((dir) => resolve(dir))
    : readdirSync(join(repo, 'packages'))
        .map((name) => join(repo, 'packages', name))
        .filter((dir) => existsSync(join(dir, 'package.json')));

const problems = [];
const checked = [];
for (const dir of dirs) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (pkg.private) continue; // not published
  checked.push(pkg.name);
  problems.push(...checkPackage(dir));
}
if (problems.length > 0) {
  console.error(`check-packaging: ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`check-packaging: ${checked.length} packages OK (${checked.join(', ')})`);
