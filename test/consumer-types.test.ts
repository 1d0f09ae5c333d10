// The BUILT packages compiled by the TypeScript settings users actually have (issue #16.4):
// - `module: commonjs` (moduleResolution node10, TypeScript's default there), which ignores
//   `exports`: the declarations of @knoxcall/express/fastify/nest import
//   `@knoxcall/core/adapter` and `/webhooks`, and when those do not resolve their options
//   silently become `any` under skipLibCheck. The good fixture asserts the types are not
//   `any`; the error fixture must be rejected on exactly the lines marked `// ERROR`.
// - A Hono app on Workers: lib es2022 + dom, no @types/node, skipLibCheck off.
// Uses the workspace's TypeScript and dist/ (run `pnpm build` first).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BUNDLED_APP, type ConsumerProject, consumerProject } from './support/consumer-project.js';

const fixtures = join(import.meta.dirname, 'fixtures');

function fixtureFiles(name: string): Record<string, string> {
  const dir = join(fixtures, name);
  return Object.fromEntries(
    readdirSync(dir)
      .filter((file) => file.endsWith('.ts'))
      .map((file) => [file, readFileSync(join(dir, file), 'utf8')]),
  );
}

/** `file:line` of every line marked `// ERROR`. */
function markedErrorLines(files: Record<string, string>): string[] {
  return Object.entries(files).flatMap(([file, text]) =>
    text.split('\n').flatMap((line, index) => (line.includes('// ERROR') ? [`${file}:${index + 1}`] : [])),
  );
}

/** `file:line` of each `file(line,col): error TSxxxx` line tsc printed. */
function reportedErrorLines(errors: readonly string[]): string[] {
  return errors.map((line) => {
    const match = /^(?:.*\/)?([^/(]+)\((\d+),\d+\): error/.exec(line);
    return match ? `${match[1]}:${match[2]}` : line;
  });
}

const nodeServerPackages = [
  '@knoxcall/core',
  '@knoxcall/express',
  '@knoxcall/fastify',
  '@knoxcall/nest',
  '@knoxcall/testing',
  'express',
  '@types/express',
  'fastify',
  '@types/node',
];

const commonjsNode10 = {
  module: 'commonjs',
  moduleResolution: 'node10',
  target: 'es2022',
  esModuleInterop: true,
  skipLibCheck: true,
  types: ['node'],
};

let project: ConsumerProject | undefined;
afterEach(() => {
  project?.remove();
  project = undefined;
});

describe('a module: commonjs (node10) consumer of express, fastify, nest, core and testing subpaths', () => {
  it('compiles the correct app, and no option type is any', async () => {
    project = consumerProject({ compilerOptions: commonjsNode10, files: fixtureFiles('node10-consumer'), dependencies: nodeServerPackages });
    const result = await project.typeCheck();
    expect(result.errors).toEqual([]);
    expect(result.code).toBe(0);
  });

  it('rejects every deliberate type error (options are checked, not any)', async () => {
    const files = fixtureFiles('node10-consumer-errors');
    const marked = markedErrorLines(files);
    expect(marked.length).toBe(Object.keys(files).length);
    project = consumerProject({ compilerOptions: commonjsNode10, files, dependencies: nodeServerPackages });
    const result = await project.typeCheck();
    expect(result.code).not.toBe(0);
    expect([...new Set(reportedErrorLines(result.errors))].sort()).toEqual(marked.sort());
  });
});

// bundler resolution is covered by the Workers app below; attw checks every mode per package.
describe('the same correct app under moduleResolution node16', () => {
  it('compiles, and no option type is any', async () => {
    project = consumerProject({
      compilerOptions: { ...commonjsNode10, module: 'node16', moduleResolution: 'node16' },
      files: fixtureFiles('node10-consumer'),
      dependencies: nodeServerPackages,
    });
    const result = await project.typeCheck();
    expect(result.errors).toEqual([]);
  });
});

describe.each([
  ['default conditions (the Node build types)', {}],
  ['the workerd condition (the Web build types)', { customConditions: ['workerd'] }],
])('a Hono app on Workers: lib es2022 + dom, types: [], skipLibCheck: false, %s', (_name, conditions) => {
  it('type-checks every published declaration it loads without esnext or @types/node', async () => {
    project = consumerProject({
      compilerOptions: {
        ...BUNDLED_APP,
        lib: ['es2022', 'dom'],
        types: [],
        skipLibCheck: false,
        ...conditions,
      },
      files: fixtureFiles('workers-consumer'),
      dependencies: ['@knoxcall/core', '@knoxcall/hono', 'hono'],
    });
    const result = await project.typeCheck();
    expect(result.errors).toEqual([]);
    expect(result.code).toBe(0);
  });
});

describe('a Node app with lib esnext and @types/node, skipLibCheck: false', () => {
  it('uses `await using` on a client: our Symbol.asyncDispose declaration merges with theirs', async () => {
    project = consumerProject({
      compilerOptions: { target: 'es2022', lib: ['esnext'], module: 'nodenext', moduleResolution: 'nodenext', types: ['node'], skipLibCheck: false },
      files: fixtureFiles('esnext-consumer'),
      dependencies: ['@knoxcall/core', '@types/node'],
    });
    const result = await project.typeCheck();
    expect(result.errors).toEqual([]);
    expect(result.code).toBe(0);
  });
});
