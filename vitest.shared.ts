import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

// Tests resolve workspace packages to their TypeScript sources (the `knoxcall-source`
// export condition), so a change is tested without rebuilding its dependencies.
// Tests that must exercise the built output import from `dist/` explicitly.
//
// Only conditions that must reach Node go here: vitest hands `ssr.resolve.conditions` to its
// workers as `node --conditions`, so an `import` entry would also steer require() inside CJS
// dependencies to their ESM builds (Express 5's router then breaks). Vite adds import/require
// per import kind itself.
const conditions = ['knoxcall-source', 'node', 'development|production'];

export function knoxProject(name: string, extra: { testTimeout?: number; fileParallelism?: boolean } = {}) {
  return defineProject({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ['node'] } },
    test: {
      name,
      environment: 'node',
      include: ['test/**/*.test.ts'],
      testTimeout: extra.testTimeout ?? 15_000,
      hookTimeout: 30_000,
      fileParallelism: extra.fileParallelism ?? true,
      // No test reaches the real cloud metadata server (see the file).
      setupFiles: [fileURLToPath(new URL('./scripts/vitest-no-metadata-egress.ts', import.meta.url))],
    },
  });
}
