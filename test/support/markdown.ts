// The repository's documentation as the tests see it: every tracked Markdown file, and the
// fenced TypeScript blocks of the READMEs.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './repo.js';

/** Tracked *.md files (repo-relative), without the generated changelogs and changeset notes. */
export function trackedMarkdown(): string[] {
  return execFileSync('git', ['ls-files', '-z', '--', '*.md'], { cwd: repoRoot, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file !== '' && !file.split('/').includes('node_modules') && !file.startsWith('.changeset/') && !/(^|\/)CHANGELOG\.md$/.test(file));
}

/** The READMEs whose snippets a user copies: the root one, each package's and each example's. */
export function readmes(): string[] {
  return trackedMarkdown().filter((file) => /^(README\.md|(packages|examples)\/[^/]+\/README\.md)$/.test(file));
}

export interface Snippet {
  /** Repo-relative README path. */
  readonly readme: string;
  /** 1-based line of the README holding the snippet's first code line. */
  readonly line: number;
  readonly code: string;
  /** Set by a `<!-- snippet: skip <reason> -->` comment on the line before the fence. */
  readonly skip?: string;
}

const OPEN = /^(\s*)```(ts|typescript)\s*$/;
const SKIP = /^\s*<!--\s*snippet:\s*skip\s+(.+?)\s*-->\s*$/;

/** Every ```ts / ```typescript block of `readme`, indented ones (inside list items) included. */
export function typescriptSnippets(readme: string): Snippet[] {
  const lines = readFileSync(join(repoRoot, readme), 'utf8').split('\n');
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = OPEN.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!.length;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !/^\s*```\s*$/.test(lines[j]!)) body.push(lines[j++]!.slice(indent));
    const skip = i > 0 ? SKIP.exec(lines[i - 1]!)?.[1] : undefined;
    snippets.push({ readme, line: i + 2, code: `${body.join('\n')}\n`, ...(skip === undefined ? {} : { skip }) });
    i = j;
  }
  return snippets;
}
