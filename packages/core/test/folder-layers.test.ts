/**
 * The folders of core's src/ form layers: imports between folders go one way only. A folder
 * that imports another which imports it back (directly or through others) has no place in
 * the layering, and each side can no longer be read, tested or moved without the other.
 *
 * Each top-level folder is one node (its subfolders belong to it); each file directly in
 * src/ (the entries, errors.ts, …) is a node of its own. Every import counts, type-only
 * ones and `import('…')` types included: a type that points up is still a dependency.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src');

/** Source text by path relative to src/ (posix separators). */
type SourceTree = ReadonlyMap<string, string>;

function readTree(dir: string): SourceTree {
  const tree = new Map<string, string>();
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) tree.set(relative(dir, path).split(sep).join('/'), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return tree;
}

/** `client/` for src/client/**, the file name for a file directly in src/. */
function layerOf(file: string): string {
  const slash = file.indexOf('/');
  return slash === -1 ? file : file.slice(0, slash + 1);
}

/** Layer → imported layer → the file-level imports behind that edge. */
type LayerGraph = Map<string, Map<string, string[]>>;

function layerGraph(tree: SourceTree): LayerGraph {
  const graph: LayerGraph = new Map();
  for (const [file, text] of tree) {
    const from = layerOf(file);
    if (!graph.has(from)) graph.set(from, new Map());
    for (const { fileName: specifier } of ts.preProcessFile(text, true, true).importedFiles) {
      if (!specifier.startsWith('.')) continue;
      // Sources import each other as `./x.js`; the node of a root file is its `.ts` name.
      const target = posix.normalize(posix.join(posix.dirname(file), specifier)).replace(/\.js$/, '.ts');
      const to = layerOf(target);
      if (to === from) continue;
      const edges = graph.get(from)!;
      if (!edges.has(to)) edges.set(to, []);
      edges.get(to)!.push(`${file} -> ${specifier}`);
    }
  }
  return graph;
}

/**
 * Every group of layers that import each other in a circle (Tarjan's strongly connected
 * components of more than one layer), each with the imports that close it.
 */
function layerCycles(graph: LayerGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (layer: string): void => {
    index.set(layer, index.size);
    low.set(layer, index.get(layer)!);
    stack.push(layer);
    onStack.add(layer);
    for (const next of graph.get(layer)?.keys() ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(layer, Math.min(low.get(layer)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(layer, Math.min(low.get(layer)!, index.get(next)!));
      }
    }
    if (low.get(layer) !== index.get(layer)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== layer);
    if (component.length > 1) components.push(component);
  };
  for (const layer of [...graph.keys()].sort()) if (!index.has(layer)) visit(layer);
  return components.map((component) => {
    const members = new Set(component);
    const edges: string[] = [];
    for (const from of [...members].sort()) {
      for (const [to, imports] of graph.get(from) ?? []) {
        if (members.has(to)) edges.push(`${from} -> ${to}: ${imports.join(', ')}`);
      }
    }
    return edges;
  });
}

describe("core's folders import each other one way only", () => {
  it('src/ has no cycle between folders (each cycle is listed with the imports that close it)', () => {
    const graph = layerGraph(readTree(src));
    expect(layerCycles(graph)).toEqual([]);
    // The walk is real: the client machinery reaches configuration, transport and the data plane.
    expect([...graph.get('client/')!.keys()]).toEqual(expect.arrayContaining(['config/', 'transport/', 'data-plane/']));
  });

  it('the check reports a cycle through folders and root files, type-only imports included', () => {
    const tree = new Map<string, string>([
      ['index.ts', "export * from './client/a.js';"],
      ['errors.ts', "import type { A } from './client/a.js';"],
      ['client/a.ts', "import { b } from '../transport/b.js';\nexport type A = 1;"],
      ['transport/b.ts', "export const b = 1;\nexport type C = import('../client/a.js').A;"],
      ['transport/c.ts', "import { E } from '../errors.js';"],
    ]);
    expect(layerCycles(layerGraph(tree))).toEqual([
      [
        'client/ -> transport/: client/a.ts -> ../transport/b.js',
        'errors.ts -> client/: errors.ts -> ./client/a.js',
        'transport/ -> client/: transport/b.ts -> ../client/a.js',
        'transport/ -> errors.ts: transport/c.ts -> ../errors.js',
      ],
    ]);
    tree.delete('errors.ts');
    tree.set('transport/b.ts', 'export const b = 1;');
    expect(layerCycles(layerGraph(tree))).toEqual([]);
  });
});
