import { runAdversarialSuite } from '@knoxcall/adapter-contract/adversarial';
import { nestAdapter } from './contract-app.js';
import { startNestApp } from './nest-app.js';

runAdversarialSuite(nestAdapter('nest 12 (express)', (metadata, options) => startNestApp('express', metadata, options)));
// The Fastify platform, with fewer mutations: another HTTP stack under the same guard.
runAdversarialSuite(
  nestAdapter('nest 12 (fastify)', (metadata, options) => startNestApp('fastify', metadata, options)),
  { mutations: 2000 },
);
