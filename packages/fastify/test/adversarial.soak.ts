import { runSoak } from '@knoxcall/adapter-contract/adversarial';
import { fastifyAdapter } from './contract-app.js';

// `pnpm test:soak` only (not in CI): see vitest.soak.config.ts at the repository root.
runSoak(fastifyAdapter('fastify 5', 'knoxErrorHandler'));
