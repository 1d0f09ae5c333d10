import { runAdversarialSuite } from '@knoxcall/adapter-contract/adversarial';
import { nestAdapter } from './contract-app.js';
import { startNestApp } from './nest-app.js';

runAdversarialSuite(nestAdapter('nest 12 (express)', (metadata, options) => startNestApp('express', metadata, options)));
