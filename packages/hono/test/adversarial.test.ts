import { runAdversarialSuite } from '@knoxcall/adapter-contract/adversarial';
import { honoAdapter } from './contract-app.js';

runAdversarialSuite(honoAdapter);
