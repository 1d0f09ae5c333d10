// API Extractor reports what an entry point exports, and says nothing about the
// `declare global { … }` / `declare module 'x' { … }` blocks in its declarations — yet for
// `@knoxcall/express/augment` and `@knoxcall/hono/augment` those blocks are the whole public
// API. This prints them, from the entry's declaration file and the chunks it imports, with
// the TypeScript printer (comments dropped, so only the types speak).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ts from 'typescript';

const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed, removeComments: true });

function relativeImports(source) {
  const found = [];
  for (const statement of source.statements) {
    const specifier = statement.moduleSpecifier;
    if (specifier && ts.isStringLiteral(specifier) && specifier.text.startsWith('.')) found.push(specifier.text);
  }
  return found;
}

function isAugmentation(statement) {
  return ts.isModuleDeclaration(statement) && (statement.flags & ts.NodeFlags.GlobalAugmentation || ts.isStringLiteral(statement.name));
}

/** `./chunk.js` → `./chunk.d.ts` (and `.cjs` → `.d.cts`, `.mjs` → `.d.mts`). */
function declarationPath(specifier) {
  return specifier
    .replace(/\.js$/, '.d.ts')
    .replace(/\.cjs$/, '.d.cts')
    .replace(/\.mjs$/, '.d.mts');
}

/** The printed augmentation blocks reachable from `entryFile`, or '' when there are none. */
export function moduleAugmentations(entryFile) {
  const blocks = [];
  const seen = new Set();
  const queue = [entryFile];
  while (queue.length > 0) {
    const file = queue.shift();
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    for (const statement of source.statements) {
      if (isAugmentation(statement)) blocks.push(printer.printNode(ts.EmitHint.Unspecified, statement, source));
    }
    for (const specifier of relativeImports(source)) {
      queue.push(resolve(dirname(file), declarationPath(specifier)));
    }
  }
  return blocks.sort().join('\n\n');
}
