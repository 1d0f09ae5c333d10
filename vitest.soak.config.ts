import { defineConfig } from 'vitest/config';
import { knoxProject } from './vitest.shared.js';

// `pnpm test:soak`: the long memory runs of the adversarial suite (packages/*/test/*.soak.ts),
// not part of `pnpm test` or CI. Each adapter's file runs in a forked worker started with
// --expose-gc, one adapter at a time, so its heap and RSS samples are its own. The young
// generation is pinned at one size: left to grow and shrink with the load, it moves RSS by
// 10–15 % between samples, which would hide (or fake) a leak.
// One adapter: `pnpm test:soak --project 'express soak'`; fewer requests: KNOX_SOAK_COUNT=20000.
const ADAPTERS = ['express', 'fastify', 'hono', 'nest'];

function soakProject(name: string) {
  const project = knoxProject(name);
  return {
    ...project,
    root: `packages/${name}`,
    test: {
      ...project.test,
      name: `${name} soak`,
      include: ['test/**/*.soak.ts'],
      pool: 'forks' as const,
      execArgv: ['--expose-gc', '--min-semi-space-size=16', '--max-semi-space-size=16'],
      testTimeout: 60 * 60_000,
    },
  };
}

export default defineConfig({
  test: {
    projects: ADAPTERS.map(soakProject),
    maxWorkers: 1,
    fileParallelism: false,
  },
});
