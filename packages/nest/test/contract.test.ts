import { runAdapterContract } from '@knoxcall/adapter-contract';
import { nestAdapter } from './contract-app.js';
import { startNestApp } from './nest-app.js';

runAdapterContract(nestAdapter('nest 12 (express)', (metadata, options) => startNestApp('express', metadata, options)));
runAdapterContract(nestAdapter('nest 12 (fastify)', (metadata, options) => startNestApp('fastify', metadata, options)));
