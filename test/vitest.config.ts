import { defineProject } from 'vitest/config';

// Repository-level checks that look at the packages the way a user does: their BUILT
// output compiled by a consumer's TypeScript settings, and the documentation (README
// snippets type-checked, links staying inside the repository). Run `pnpm build` first.
export default defineProject({
  test: {
    name: 'repo',
    environment: 'node',
    include: ['*.test.ts'],
    // Each case runs the TypeScript compiler on a fixture project: seconds, not milliseconds.
    testTimeout: 180_000,
  },
});
