// `pnpm demo` on a fresh clone (issue #16.5): the build it runs first is quiet — two lines
// of its own, no turbo/tsup chatter — so what the user sees is the demo and its summary table.
// Runs the real `pnpm demo` (turbo-cached after the first build: about 10 s warm; a cold
// first build takes about a minute on a 2-core machine). `pnpm test` runs `turbo run build:js`
// before the suite, so the demo's build here is a cache hit that leaves dist/ as it is: other
// test files read dist/*.js meanwhile, and must not see turbo restore those files under them.
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/repo.js';

function pnpmDemo(): Promise<{ code: number; lines: string[] }> {
  return new Promise((resolve) => {
    execFile('pnpm', ['--silent', 'demo'], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, lines: `${stdout}${stderr}`.split('\n').filter((line) => line.trim() !== '') });
    });
  });
}

describe('pnpm demo', () => {
  it('builds quietly, then shows the demo and its summary', async () => {
    const { code, lines } = await pnpmDemo();
    expect(code, lines.join('\n')).toBe(0);
    const demoStart = lines.findIndex((line) => /\bdemo\s+loading the built packages/.test(line));
    expect(demoStart, lines.join('\n')).toBeGreaterThan(0);
    // Before the demo: only the build step's own two lines.
    expect(lines.slice(0, demoStart)).toEqual([
      expect.stringMatching(/^\s*build\s+building the packages and example apps/),
      expect.stringMatching(/^\s*build\s+built the packages and examples in \d+\.\d s/),
    ]);
    // Nothing from the build tools after them either.
    expect(lines.slice(demoStart).filter((line) => /\b(tsup|turbo|DTS|ESM|CJS|Build success|Tasks:)\b/.test(line))).toEqual([]);
    expect(lines).toContainEqual(expect.stringMatching(/^\s*framework\s+call\s+.*\bwebhook\b/));
    expect(lines.at(-1)).toMatch(/✔ 4\/4 examples passed in/);
  }, 300_000);
});
