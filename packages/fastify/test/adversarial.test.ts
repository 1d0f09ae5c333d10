import { runAdversarialSuite } from '@knoxcall/adapter-contract/adversarial';
import { fastifyAdapter } from './contract-app.js';

// Fastify's default error handler: its native `{ statusCode, code, error, message }` bodies.
runAdversarialSuite(fastifyAdapter('fastify 5 (default error handler)', 'fastify-default'));
// knoxErrorHandler() at the root, with fewer mutations: the contract's exact `{ error: { type, message } }` bodies.
runAdversarialSuite(fastifyAdapter('fastify 5 (knoxErrorHandler)', 'knoxErrorHandler'), { mutations: 2000 });
