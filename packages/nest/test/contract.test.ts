import { runAdapterContract } from '@knoxcall/adapter-contract';
import { nestAdapter } from './contract-app.js';

runAdapterContract(nestAdapter('express'));
runAdapterContract(nestAdapter('fastify'));
