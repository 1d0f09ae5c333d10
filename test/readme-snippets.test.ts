// Every ```ts / ```typescript block of every README (root, packages/*, examples/*) compiles,
// as written, against the BUILT packages (issue #16.5): one consumer project holding a file
// per snippet, compiled once. A block may be skipped only with a
// `<!-- snippet: skip <reason> -->` line right before it, for fragments that are not a
// TypeScript program; SKIPPED below lists each such block, so a new skip is a reviewed change
// of this file. Names that stand for the reader's own code (an alerting helper, its
// AppModule, …) are in fixtures/snippets/, copied next to the snippets.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_APP, type ConsumerProject, consumerProject } from './support/consumer-project.js';
import { readmes, type Snippet, typescriptSnippets } from './support/markdown.js';

/** `README:line` of each block allowed to be skipped, with why. */
const SKIPPED: Record<string, string> = {};

const all = readmes().flatMap(typescriptSnippets);
const checked = all.filter((snippet) => snippet.skip === undefined);
const fileOf = (snippet: Snippet) => `snippets/${snippet.readme.replace(/[/.]/g, '_')}_L${snippet.line}.ts`;

/** A snippet without import/export would be a script sharing one global scope with the others. */
const asModule = (code: string) => (/^\s*(import|export)\s/m.test(code) ? code : `${code}export {};\n`);

let project: ConsumerProject | undefined;
let errorsByFile: Map<string, string[]>;

beforeAll(async () => {
  const readerCode = join(import.meta.dirname, 'fixtures', 'snippets');
  const files: Record<string, string> = Object.fromEntries(
    readdirSync(readerCode).map((file) => [`snippets/${file}`, readFileSync(join(readerCode, file), 'utf8')]),
  );
  for (const snippet of checked) files[fileOf(snippet)] = asModule(snippet.code);
  project = consumerProject({
    compilerOptions: {
      ...BUNDLED_APP,
      lib: ['es2023', 'dom'],
      esModuleInterop: true,
      skipLibCheck: true,
      types: ['node'],
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      // Snippets show a piece of an app: a value they define for the reader to use is not an error.
      noUnusedLocals: false,
    },
    files,
    dependencies: [
      '@knoxcall/core',
      '@knoxcall/express',
      '@knoxcall/fastify',
      '@knoxcall/hono',
      '@knoxcall/nest',
      '@knoxcall/testing',
      '@knoxcall/adapter-contract',
      'express',
      '@types/express',
      'fastify',
      'hono',
      '@hono/node-server',
      '@nestjs/common',
      '@nestjs/core',
      'reflect-metadata',
      'rxjs',
      'ioredis',
      'redis',
      'stripe',
      'openai',
      'vitest',
      '@types/node',
    ],
  });
  const result = await project.typeCheck();
  errorsByFile = new Map();
  for (const line of result.output.split('\n')) {
    const match = /^(snippets\/[^(]+)\((\d+),(\d+)\): (error TS\d+: .*)$/.exec(line);
    const key = match?.[1] ?? '(other)';
    if (!match && !/error TS\d+/.test(line)) continue;
    errorsByFile.set(key, [...(errorsByFile.get(key) ?? []), match ? `line ${match[2]}: ${match[4]}` : line]);
  }
}, 300_000);

afterAll(() => project?.remove());

describe('README snippets', () => {
  it('finds the snippets, and skips exactly the reviewed blocks', () => {
    expect(checked.length).toBeGreaterThan(40);
    const skipped = Object.fromEntries(all.filter((s) => s.skip !== undefined).map((s) => [`${s.readme}:${s.line}`, s.skip]));
    expect(skipped).toEqual(SKIPPED);
  });

  it('the compiler reported nothing outside the snippets', () => {
    expect(errorsByFile.get('(other)') ?? []).toEqual([]);
  });

  it.each(readmes())('%s: every TypeScript block compiles', (readme) => {
    const failures = checked
      .filter((snippet) => snippet.readme === readme)
      .flatMap((snippet) =>
        (errorsByFile.get(fileOf(snippet)) ?? []).map((error) => {
          const line = Number(/^line (\d+)/.exec(error)?.[1]);
          return `${readme}:${snippet.line + line - 1} ${error.replace(/^line \d+: /, '')}`;
        }),
      );
    expect(failures).toEqual([]);
  });
});
