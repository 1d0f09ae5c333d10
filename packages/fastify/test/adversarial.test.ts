import { runAdversarialSuite } from '@knoxcall/adapter-contract/adversarial';
import { fastifyAdapter } from './contract-app.js';

// Fastify's default error handler: its native `{ statusCode, code, error, message }` bodies.
runAdversarialSuite(fastifyAdapter('fastify 5 (default error handler)', 'fastify-default'));
