// Documents work for someone who cloned the repository (issue #16.5): no tracked Markdown
// file points outside it — no link or path into `../shared`, no "§" section citation or
// contract file name of a specification that is not here, no reference to "the contract"
// (the adapter contract, packages/adapter-contract, is ours) — and every relative link
// resolves to a file or folder inside the repository; and each package README says which
// runtimes it supports. Changelogs and changeset notes are
// generated text and are not checked.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trackedMarkdown } from './support/markdown.js';
import { repoRoot } from './support/repo.js';

/** Text that cites something outside the repository, with what to write instead. */
const OUTSIDE_CITATIONS: ReadonlyArray<[RegExp, string]> = [
  [/\.\.\/shared\b|\bshared\/contract\b/, 'points into ../shared, which a clone does not have'],
  [/§/, 'cites a section of a document that is not in the repository'],
  [/(?<![\w/.-])(auth|webhooks|resources|transport)\.md\b/, 'names a specification file that is not in the repository'],
  [/(?<!adapter[ -])\bcontract\b(?!-)/, 'refers to "the contract" — say it in the project\'s own words (docs/wire-reference.md)'],
];

/** Inline links `[text](target)` and reference definitions `[id]: target`. */
const LINK = /\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)|^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/g;

function problemsIn(file: string): string[] {
  const problems: string[] = [];
  let fenced = false;
  readFileSync(join(repoRoot, file), 'utf8')
    .split('\n')
    .forEach((line, index) => {
      const where = `${file}:${index + 1}`;
      for (const [pattern, why] of OUTSIDE_CITATIONS) if (pattern.test(line)) problems.push(`${where} ${why}: ${line.trim()}`);
      if (/^\s*```/.test(line)) fenced = !fenced;
      if (fenced) return;
      // Code spans are not links (a regular expression such as `([a-z])` would look like one).
      for (const match of line.replace(/`[^`]*`/g, '').matchAll(LINK)) {
        const target = (match[1] ?? match[2])!;
        if (/^([a-z][a-z0-9+.-]*:|#)/i.test(target)) continue; // a URL or an anchor in this file
        const path = resolve(repoRoot, dirname(file), decodeURIComponent(target.replace(/[#?].*$/, '')));
        if (relative(repoRoot, path).startsWith('..')) problems.push(`${where} links outside the repository: ${target}`);
        else if (!existsSync(path)) problems.push(`${where} links to a missing file: ${target}`);
      }
    });
  return problems;
}

describe('tracked Markdown stays inside the repository', () => {
  const files = trackedMarkdown();

  it('checks the READMEs, CONTRIBUTING.md and docs/', () => {
    expect(files).toEqual(expect.arrayContaining(['README.md', 'CONTRIBUTING.md', 'docs/wire-reference.md', 'packages/core/README.md']));
  });

  it.each(files)('%s', (file) => {
    expect(problemsIn(file)).toEqual([]);
  });
});

describe('each package README states the runtimes it supports', () => {
  const packageReadmes = trackedMarkdown().filter((file) => /^packages\/[^/]+\/README\.md$/.test(file));

  it.each(packageReadmes)('%s has a "**Runtimes:**" line', (file) => {
    expect(readFileSync(join(repoRoot, file), 'utf8')).toMatch(/^\*\*Runtimes:\*\* \S.*$/m);
  });
});
