import { runAdapterContract } from '@knoxcall/adapter-contract';
import { nestAdapter } from '../../nest/test/contract-app.js';
import { startNest11App } from './nest11-app.js';

// The same contract app as packages/nest, compiled against Nest 11 (see vitest.config.ts).
runAdapterContract(nestAdapter('nest 11 (express)', (metadata, options) => startNest11App(metadata, options)));
