import { defineConfig } from 'vitest/config';

// One vitest run over every package: each package or example folder with a
// vitest.config.ts is a project.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'examples/*/vitest.config.ts', 'test/vitest.config.ts'],
  },
});
