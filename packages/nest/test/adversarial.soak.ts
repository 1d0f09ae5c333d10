import { runSoak } from '@knoxcall/adapter-contract/adversarial';
import { nestAdapter } from './contract-app.js';
import { startNestApp } from './nest-app.js';

// `pnpm test:soak` only (not in CI): see vitest.soak.config.ts at the repository root.
runSoak(nestAdapter('nest 12 (express)', (metadata, options) => startNestApp('express', metadata, options)));
