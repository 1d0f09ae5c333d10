/**
 * `@knoxcall/core` — Node entry. The client classes here are bound to the Node platform
 * (process.env, process.emitWarning, the credentials file, the node:crypto webhook verifier);
 * the Web entry (index.web.ts) exports the same names bound to the Web platform.
 */
import { wrapNodeSupport } from './node/wrap-support.js';
import { registerWrapNodeSupport } from './wrap/node-support.js';

// wrap.intercept() patches node:http/https and scopes routed() with AsyncLocalStorage here only.
registerWrapNodeSupport(wrapNodeSupport);

export { KnoxCall, Session } from './node/node-client.js';
export * from './public-api.js';
export * from './node/auth-support.js';
export * from './node/webhook-verifier.js';
export * from './node/login/index.js';
