import { runAdapterContract } from '@knoxcall/adapter-contract';
import { fastifyAdapter } from './contract-app.js';

// Fastify's default error handler: webhook failures are answered in Fastify's native error
// shape, `{ statusCode, code, error, message }`, whose `code` is the contract's code.
runAdapterContract(fastifyAdapter('fastify 5 (default error handler)', 'fastify-default'));
// With knoxErrorHandler() at the root, the contract's own `{ error: { type, message } }` bodies.
runAdapterContract(fastifyAdapter('fastify 5 (knoxErrorHandler)', 'knoxErrorHandler'));
