/**
 * The Web build must stay free of `node:` modules: walk the static import graph of the
 * universal auth entry points and check that nothing in it imports a Node built-in.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');
const IMPORT = /(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function graph(entry: string): { files: Set<string>; external: Map<string, string> } {
  const files = new Set<string>();
  const external = new Map<string, string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const spec = match[1] ?? match[2]!;
      // type-only imports vanish from the output; still follow them to be strict
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else external.set(spec, file);
    }
  };
  visit(join(src, entry));
  return { files, external };
}

const NODE_BUILTINS = /^(node:|fs$|os$|path$|crypto$|child_process$|util$|http$|https$|net$)/;

describe('universal auth code imports no Node built-ins', () => {
  for (const entry of ['auth/index.ts', 'auth/create-authenticator.ts']) {
    it(entry, () => {
      const { files, external } = graph(entry);
      const offenders = [...external].filter(([spec]) => NODE_BUILTINS.test(spec));
      expect(offenders).toEqual([]);
      expect([...files].filter((f) => f.includes(`${join('src', 'node')}/`))).toEqual([]);
      expect(files.size).toBeGreaterThan(5);
    });
  }

  it('the Node-only entry does reach the filesystem code (the walk is real)', () => {
    const { external } = graph('node/auth-support.ts');
    expect([...external.keys()].some((spec) => spec.startsWith('node:'))).toBe(true);
  });
});
