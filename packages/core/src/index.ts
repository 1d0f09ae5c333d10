/**
 * `@knoxcall/core` — Node entry. The client classes here are bound to the Node platform
 * (process.env, process.emitWarning, the credentials file, the node:crypto webhook verifier);
 * the Web entry (index.web.ts) exports the same names bound to the Web platform.
 */
import { createAuthenticator } from './auth/create-authenticator.js';
import type { ClientRuntime } from './config/create-shared-state.js';
import { KnoxCallBase } from './knoxcall-class.js';
import type { KnoxCallOptions } from './config/options.js';
import { SessionBase } from './session-class.js';
import { nodePlatform } from './node/node-platform.js';
import { constructWebhookEvent, verifyWebhookSignature } from './node/webhook-verifier.js';
import { wrapNodeSupport } from './node/wrap-support.js';
import { registerWrapNodeSupport } from './wrap/node-support.js';

const nodeRuntime: ClientRuntime = {
  platform: nodePlatform,
  createAuthenticator,
  verifyWebhookSignature,
  constructWebhookEvent,
};

// wrap.intercept() patches node:http/https and scopes routed() with AsyncLocalStorage here only.
registerWrapNodeSupport(wrapNodeSupport);

/** The KnoxCall client. One per process is the normal case; it is safe to share. */
export class KnoxCall extends KnoxCallBase {
  constructor(options?: KnoxCallOptions) {
    super(options, nodeRuntime);
  }
}

/** The client without resource properties, with a fetch-like `fetch(path, init)`. */
export class Session extends SessionBase {
  constructor(options?: KnoxCallOptions) {
    super(options, nodeRuntime);
  }
}

export * from './public-api.js';
export * from './node/auth-support.js';
export * from './node/webhook-verifier.js';
export * from './node/login/index.js';
