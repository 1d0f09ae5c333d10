import { KnoxCallError } from '../errors.js';
import { createResources, type Resources } from '../resources/index.js';
import { CLIENT_CONTEXT, ClientBase, INIT_VIEW } from './client-base.js';
import type { ClientInternals, ClientRuntime, VerifySignatureParams } from './create-core.js';
import type { KnoxCallOptions } from './options.js';

/**
 * The full client: `ClientBase` plus the resource properties (`routes`, `secrets`, …) and
 * `verifySignature`. Each entry point exports `class KnoxCall extends KnoxCallBase` bound
 * to its runtime, so import paths are the same everywhere.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the merged resource members are assigned in the constructor
export class KnoxCallBase extends ClientBase {
  constructor(options: KnoxCallOptions | undefined, runtime: ClientRuntime, internals?: ClientInternals) {
    super(options, runtime, internals);
    this.#attachResources();
  }

  override [INIT_VIEW](): void {
    this.#attachResources();
  }

  /** Synchronous legacy webhook signature check; same as `verifyWebhookSignature`. */
  verifySignature(params: VerifySignatureParams): boolean {
    const verify = this[CLIENT_CONTEXT].core.runtime.verifyWebhookSignature;
    if (!verify) {
      throw new KnoxCallError('verifySignature is not available in this build; use verifyWebhookSignatureAsync');
    }
    return verify(params);
  }

  #attachResources(): void {
    const { runtime } = this[CLIENT_CONTEXT].core;
    const resources = createResources(this.resourceRequester(), {
      constructWebhookEvent: runtime.constructWebhookEvent,
    });
    // Plain read-only properties (contract transport §1.2); views get their own, bound to the view's defaults.
    for (const name of Object.keys(resources) as Array<keyof Resources>) {
      Object.defineProperty(this, name, { value: resources[name], enumerable: true, writable: false, configurable: false });
    }
  }
}

// The resource properties are defined in the constructor (#attachResources) for every instance.
export interface KnoxCallBase extends Readonly<Resources> {}
