/**
 * `@knoxcall/core` — Web entry (workerd, worker, edge-light, browser, deno). Same names as
 * the Node entry, bound to the Web platform; nothing here imports a node: module.
 */
import { createAuthenticator } from './auth/create-authenticator.js';
import type { ClientRuntime } from './config/create-shared-state.js';
import { KnoxCallBase } from './knoxcall-class.js';
import type { KnoxCallOptions } from './config/options.js';
import { SessionBase } from './session-class.js';
import { webPlatform } from './platform/web-platform.js';
import { constructWebhookEvent, verifyWebhookSignature } from './webhooks/web-sync-unavailable.js';

const webRuntime: ClientRuntime = {
  platform: webPlatform,
  createAuthenticator,
  // Stand-ins that throw "use the async verifier on this runtime" (no node:crypto here).
  verifyWebhookSignature,
  constructWebhookEvent,
};

/** The KnoxCall client. One per isolate is the normal case; it is safe to share. */
export class KnoxCall extends KnoxCallBase {
  constructor(options?: KnoxCallOptions) {
    super(options, webRuntime);
  }
}

/** The client without resource properties, with a fetch-like `fetch(path, init)`. */
export class Session extends SessionBase {
  constructor(options?: KnoxCallOptions) {
    super(options, webRuntime);
  }
}

export * from './public-api.js';
export * from './webhooks/web-sync-unavailable.js';
