// What kind of change one API report is from another, and the bump that kind needs.
// A report (scripts/api-report.mjs) is a fenced block of top-level declarations separated by
// blank lines; declarations are compared by name, their printed text as a whole.
//
//   removed or changed declaration, removed entry point -> 'breaking'
//   added declaration, new entry point                   -> 'additive'
//
// A changed declaration counts as breaking even when it only grew: a new member of an
// interface the user implements or constructs breaks them, and the report cannot tell
// which way a type flows.

const DECLARATION = /^(?:export )?(?:declare )?(?:abstract )?(?:const|let|var|function|class|interface|type|enum|namespace) ([\w$]+)/;

/** name -> printed text of every declaration (overloads joined) in a report. */
export function declarations(report) {
  const byName = new Map();
  const blocks = [...report.matchAll(/```ts\n([\s\S]*?)\n```/g)].map((match) => match[1]);
  for (const [index, block] of blocks.entries()) {
    for (const chunk of block.split(/\n{2,}/)) {
      const lines = chunk.split('\n').filter((line) => line.trim());
      const head = lines.find((line) => !line.startsWith('//'));
      if (!head) continue; // "(No @packageDocumentation comment …)" and the like
      // Blocks after the first are module augmentations: keyed by their first line.
      const name = index === 0 ? (head.match(DECLARATION)?.[1] ?? head) : `augmentation ${head}`;
      const text = lines.filter((line) => !line.startsWith('// Warning:')).join('\n');
      byName.set(name, byName.has(name) ? `${byName.get(name)}\n${text}` : text);
    }
  }
  return byName;
}

/**
 * @param {string | undefined} released the report at the last release (undefined: new entry point)
 * @param {string | undefined} current the report now (undefined: the entry point is gone)
 * @returns {{ kind: 'none' | 'additive' | 'breaking', reasons: string[] }}
 */
export function classifyChange(released, current) {
  if (released === undefined && current === undefined) return { kind: 'none', reasons: [] };
  if (released === undefined) return { kind: 'additive', reasons: ['new entry point'] };
  if (current === undefined) return { kind: 'breaking', reasons: ['entry point removed'] };
  const before = declarations(released);
  const after = declarations(current);
  const breaking = [];
  const additive = [];
  for (const [name, text] of before) {
    if (!after.has(name)) breaking.push(`removed ${name}`);
    else if (after.get(name) !== text) breaking.push(`changed ${name}`);
  }
  for (const name of after.keys()) if (!before.has(name)) additive.push(`added ${name}`);
  if (breaking.length > 0) return { kind: 'breaking', reasons: breaking };
  if (additive.length > 0) return { kind: 'additive', reasons: additive };
  return { kind: 'none', reasons: [] };
}

export const BUMPS = ['none', 'patch', 'minor', 'major'];

/**
 * The least bump a change needs. Semver for 0.x: the minor is the breaking digit, and an
 * addition is a patch (a `^0.1.0` range takes it; nothing that compiled stops compiling).
 * From 1.0: breaking is major, an addition minor.
 */
export function requiredBump(kind, version) {
  if (kind === 'none') return 'none';
  const major = Number(version.split('.')[0]);
  if (major === 0) return kind === 'breaking' ? 'minor' : 'patch';
  return kind === 'breaking' ? 'major' : 'minor';
}

/** The highest bump the pending changesets give each package: from their front matter. */
export function pendingBumps(changesetTexts) {
  const bumps = new Map();
  for (const text of changesetTexts) {
    const front = text.match(/^---\n([\s\S]*?)\n---/);
    if (!front) continue;
    for (const line of front[1].split('\n')) {
      const entry = line.match(/^\s*["']?([^"':]+)["']?\s*:\s*(patch|minor|major)\s*$/);
      if (!entry) continue;
      const [, name, bump] = entry;
      if (BUMPS.indexOf(bump) > BUMPS.indexOf(bumps.get(name) ?? 'none')) bumps.set(name, bump);
    }
  }
  return bumps;
}
