// API reports: one API Extractor report per published entry point, read from the BUILT
// declarations (the types a user's compiler sees), checked in under api/ as
// `<package>[.<subpath>].api.md`. A report names every export and prints its signature,
// plus the unexported types those signatures reach, so a removed or changed export shows up
// as a diff no matter which tsup chunk the declaration landed in.
//
//   node scripts/api-report.mjs           compare with api/ (CI); fails on any difference
//   node scripts/api-report.mjs --update  rewrite api/ (pnpm api:update), after `pnpm build`
//
// Run `pnpm build` first: the reports come from dist/, not src/.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import { publishedEntryPoints } from './lib/entry-points.mjs';
import { moduleAugmentations } from './lib/module-augmentations.mjs';

const repoRoot = join(import.meta.dirname, '..');
const reportFolder = join(repoRoot, 'api');
const update = process.argv.includes('--update');

// The declarations tsup emits have no TSDoc release tags and cite types from their
// dependencies (express, fastify, hono, Nest); none of that is an API change, so only the
// report itself speaks.
const quiet = { logLevel: 'none', addToApiReportFile: false };
const messages = {
  compilerMessageReporting: { default: quiet },
  extractorMessageReporting: {
    default: quiet,
    // The report must say when a signature reaches a type users cannot import by name.
    'ae-forgotten-export': { logLevel: 'none', addToApiReportFile: true },
  },
  tsdocMessageReporting: { default: quiet },
};

if (update) mkdirSync(reportFolder, { recursive: true });
const tempFolder = mkdtempSync(join(tmpdir(), 'knoxcall-api-'));
const changed = [];
const written = new Set();
try {
  for (const entry of publishedEntryPoints(repoRoot)) {
    if (!existsSync(entry.typesFile)) {
      throw new Error(`${relative(repoRoot, entry.typesFile)} is missing: run \`pnpm build\` first`);
    }
    const fileName = `${entry.reportName}.api.md`;
    const report = `${extractorReport(entry)}${augmentationSection(entry.typesFile)}`;
    const checkedIn = join(reportFolder, fileName);
    written.add(fileName);
    const current = existsSync(checkedIn) ? readFileSync(checkedIn, 'utf8') : undefined;
    if (current === report) continue;
    changed.push({ entry, checkedIn, current, report });
    if (update) writeFileSync(checkedIn, report);
  }
  // A report whose entry point no longer exists is a removed entry point.
  const stale = existsSync(reportFolder) ? readdirSync(reportFolder).filter((name) => name.endsWith('.api.md') && !written.has(name)) : [];
  if (update) {
    for (const name of stale) rmSync(join(reportFolder, name));
    const what = changed.map(({ entry }) => entry.specifier).concat(stale.map((name) => `${name} (removed)`));
    console.log(what.length ? `api: updated ${what.join(', ')}` : `api: ${written.size} reports up to date`);
  } else if (changed.length > 0 || stale.length > 0) {
    for (const { entry, current, report } of changed) {
      console.error(`\napi: the public API of ${entry.specifier} differs from api/${entry.reportName}.api.md:`);
      printDiff(current ?? '', report);
    }
    for (const name of stale) console.error(`\napi: api/${name} has no entry point any more`);
    console.error(
      '\napi: if this change is intended, run `pnpm build && pnpm api:update`, commit the reports, and add a' +
        '\n     changeset (`pnpm changeset`) whose bump matches it (see CONTRIBUTING.md, "Public API").',
    );
    process.exitCode = 1;
  } else {
    console.log(`api: ${written.size} reports match the built declarations`);
  }
} finally {
  rmSync(tempFolder, { recursive: true, force: true });
}

/** API Extractor's report for one entry point, written to (and read back from) the temp folder. */
function extractorReport(entry) {
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: entry.packageDir,
      mainEntryPointFilePath: entry.typesFile,
      compiler: {
        overrideTsconfig: {
          compilerOptions: {
            target: 'es2022',
            module: 'nodenext',
            moduleResolution: 'nodenext',
            lib: ['es2022', 'dom', 'dom.iterable'],
            types: ['node'],
            skipLibCheck: true,
            strict: true,
          },
        },
      },
      apiReport: {
        enabled: true,
        reportFileName: entry.reportName,
        // Both folders are the temp folder: this script, not API Extractor, compares with api/
        // (so the report can carry the module augmentations too).
        reportFolder: tempFolder,
        reportTempFolder: tempFolder,
        includeForgottenExports: true,
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      newlineKind: 'lf',
      messages,
    },
    configObjectFullPath: join(entry.packageDir, 'api-extractor.json'),
    packageJsonFullPath: join(entry.packageDir, 'package.json'),
  });
  const result = Extractor.invoke(config, { localBuild: true, messageCallback: silence });
  const output = join(tempFolder, `${entry.reportName}.api.md`);
  if (!result.succeeded || !existsSync(output)) {
    throw new Error(`API Extractor failed on ${entry.specifier} (${result.errorCount} errors)`);
  }
  return readFileSync(output, 'utf8');
}

function augmentationSection(typesFile) {
  const blocks = moduleAugmentations(typesFile);
  return blocks ? `\n## Module augmentations\n\n\`\`\`ts\n${blocks}\n\`\`\`\n` : '';
}

function silence(message) {
  if (message.logLevel !== 'error') message.handled = true;
}

/** Lines only in the checked-in report get "-", lines only in the new one "+". */
function printDiff(before, after) {
  const beforeLines = before.split('\n');
  const afterLines = after.split('\n');
  const inBefore = new Set(beforeLines);
  const inAfter = new Set(afterLines);
  for (const line of beforeLines) if (!inAfter.has(line) && line.trim()) console.error(`  - ${line}`);
  for (const line of afterLines) if (!inBefore.has(line) && line.trim()) console.error(`  + ${line}`);
}
