import { createAuthenticator } from '../auth/create-authenticator.js';
import type { ClientRuntime } from '../config/create-shared-state.js';
import type { KnoxCallOptions } from '../config/options.js';
import { KnoxCallBase } from '../knoxcall-class.js';
import { SessionBase } from '../session-class.js';
import { nodePlatform } from './node-platform.js';
import { constructWebhookEvent, verifyWebhookSignature } from './webhook-verifier.js';

/**
 * The client classes bound to the Node platform (process.env, process.emitWarning, the
 * credentials file, the node:crypto webhook verifier). They live here rather than in the
 * Node entry so that login, which returns a Node client, does not import the entry that
 * exports it.
 */
const nodeRuntime: ClientRuntime = {
  platform: nodePlatform,
  createAuthenticator,
  verifyWebhookSignature,
  constructWebhookEvent,
};

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
